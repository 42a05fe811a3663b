import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';

const HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * Names the shutdown steps of `app` that have begun and not ended: each provider's lifecycle hook
 * and the HTTP server's close. A test whose teardown runs out of time can say what held it.
 */
export function traceShutdown(app: INestApplication): () => string[] {
  const running = new Set<string>();
  const trace = (name: string, step: (...args: unknown[]) => unknown) => async (...args: unknown[]) => {
    running.add(name);
    try {
      return await step(...args);
    } finally {
      running.delete(name);
    }
  };
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.providers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      for (const hook of HOOKS) {
        const step = instance?.[hook];
        if (instance && typeof step === 'function') {
          instance[hook] = trace(`${instance.constructor.name}.${hook}`, step.bind(instance));
        }
      }
    }
  }
  const adapter = app.getHttpAdapter();
  adapter.close = trace('the HTTP server', adapter.close.bind(adapter)) as typeof adapter.close;
  return () => [...running];
}
