import 'reflect-metadata';
import { loadConfig } from '../../config/app-config';
import { runEntryPoint } from '../core/entry-point';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { createCliContext } from './cli.module';

/** `npm run reference:load`: counties and municipalities from data/. Associations come from the registry sync. */
runEntryPoint(async () => {
  const context = await createCliContext(loadConfig());
  try {
    const result = await context.get(MunicipalitiesService).loadReferenceData();
    console.log(
      `Loaded ${result.counties} counties and ${result.municipalities} municipalities (${result.changed} rows changed)`,
    );
  } finally {
    await context.close();
  }
});
