import { Locator, Page } from 'playwright-core';
import { waitFor } from '../support/wait';

/**
 * Chooses a radio button as a person does, by clicking its label (FKUI draws its own button over
 * the input). A form that re-renders under the pointer, its error list shrinking as fields become
 * valid, can swallow the click on a loaded machine: it clicks again until the radio is checked.
 */
export async function choose(scope: Locator | Page, label: string): Promise<void> {
  const radio = scope.getByRole('radio', { name: label, exact: true });
  await waitFor(
    async () => {
      if (!(await radio.isChecked())) await scope.getByText(label, { exact: true }).click();
      return radio.isChecked();
    },
    { what: `the radio button "${label}" to be checked` },
  );
}
