import '@fkui/theme-default';
import '@fkui/design';
import '@fkui/design/lib/fonts.css';
import '@fkui/icon-lib-default/dist/f';
import './shared/layout.css';
import { FormatPlugin, TranslationPlugin, ValidationPlugin, setRunningContext } from '@fkui/vue';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { loadSession } from './session/session';
import { keepFormsStillWhilePressed } from './shared/steady-press';

/** Who is signed in decides the menu and the first page, so the session loads before the router starts. */
async function start(): Promise<void> {
  const app = createApp(App);
  setRunningContext(app);
  app.use(ValidationPlugin);
  app.use(TranslationPlugin);
  app.use(FormatPlugin);
  keepFormsStillWhilePressed(document);
  await loadSession().catch(() => undefined); // a 401 has already sent the browser to sign-in
  app.use(router);
  app.mount('#app');
}

void start();
