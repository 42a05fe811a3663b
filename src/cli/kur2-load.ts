import 'reflect-metadata';
import { loadConfig } from '../../config/app-config';
import { runEntryPoint } from '../core/entry-point';
import { Kur2ImportService } from '../kur2-import/kur2-import.service';
import { createCliContext } from './cli.module';

/** `npm run kur2:load`: the 34 KUR 2 areas and their activities. Running it twice changes nothing. */
runEntryPoint(async () => {
  const context = await createCliContext(loadConfig());
  try {
    const result = await context.get(Kur2ImportService).load();
    console.log(
      `Loaded ${result.areas} KUR 2 areas with ${result.activities} activities (${result.changedAreas} areas and ${result.changedActivities} activities changed)`,
    );
  } finally {
    await context.close();
  }
});
