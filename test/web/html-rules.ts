import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { packageRoot } from '../../src/core/data-files';

/** The web app's own html-validate and FKUI's plugin for it (web/node_modules), as FKUI's Cypress setup uses them. */
const fromWebApp = createRequire(join(packageRoot(), 'web', 'package.json'));
interface Finding {
  ruleId: string;
  message: string;
  selector: string | null;
}
interface Validator {
  validateString(html: string, filename: string): Promise<{ results: { messages: Finding[] }[] }>;
}
const { HtmlValidate } = fromWebApp('html-validate') as { HtmlValidate: new (config: object) => Validator };
const fkuiPlugin = fromWebApp('@fkui/vue/htmlvalidate');
/**
 * Elements FKUI itself documents as false positives in rendered pages, and FProgressbar's meter:
 * FKUI renders it as a span with role="progressbar" (styled, with aria-valuenow/-valuetext), which
 * prefer-native-element flags although it is FKUI's own markup, not ours.
 */
const FKUI_EXCLUDED: string[] = [...(fromWebApp('@fkui/vue/htmlvalidate/cypress') as string[]), '.progress__meter'];

/**
 * html-validate's recommended rules and FKUI's rules that apply to rendered HTML. Off: what only
 * describes how source is written (Vue writes the attributes and whitespace, not a person).
 */
const validator = new HtmlValidate({
  plugins: [fkuiPlugin],
  extends: ['html-validate:recommended'],
  rules: {
    'fkui/button-group': 'error',
    'fkui/class-deprecated': 'error',
    // Every <svg> of a rendered page is f-icon's own output; the rule is meant for source templates.
    'fkui/prefer-ficon': 'off',
    'attribute-boolean-style': 'off',
    'attribute-empty-style': 'off',
    'no-inline-style': 'off',
    'no-trailing-whitespace': 'off',
    'void-style': 'off',
    'doctype-style': 'off',
  },
});

/** The page as rendered, without FKUI's documented exceptions; fails with every finding, located. */
export async function checkHtml(page: Page, name: string): Promise<void> {
  // Runs in the browser (the tests' own TypeScript knows no DOM types).
  const html = await page.evaluate<string>(`(() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll(${JSON.stringify([...FKUI_EXCLUDED, 'script', 'style', 'link[rel=modulepreload]'].join(','))})
      .forEach((element) => element.remove());
    return '<!doctype html>\\n' + copy.outerHTML;
  })()`);
  const report = await validator.validateString(html, `${name}.html`);
  const findings = report.results.flatMap((result) =>
    result.messages.map((message) => `${message.ruleId}: ${message.message} — ${message.selector ?? ''}`),
  );
  if (findings.length) throw new Error(`html-validate found on ${name}:\n${findings.join('\n')}`);
}
