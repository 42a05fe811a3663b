import 'reflect-metadata';
import { loadConfig } from '../../config/app-config';
import { runEntryPoint } from '../core/entry-point';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { createCliContext } from './cli.module';

/** `npm run reference:load`: counties, municipalities and associations from data/. */
runEntryPoint(async () => {
  const context = await createCliContext(loadConfig());
  try {
    const result = await context.get(ReferenceDataService).load();
    console.log(
      `Loaded ${result.counties} counties, ${result.municipalities} municipalities, ${result.associations} associations (${result.changed} rows changed)`,
    );
  } finally {
    await context.close();
  }
});
