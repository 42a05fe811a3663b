import { Locator, Page } from 'playwright-core';
import { pressAndRelease } from './press';

/**
 * Chooses a radio button as a person does, with one press and release on its label (FKUI draws its
 * own button over the input); the press must not move the form under the pointer and lose the click.
 */
export async function choose(scope: Locator | Page, label: string): Promise<void> {
  await pressAndRelease(scope.getByText(label, { exact: true }));
  if (!(await scope.getByRole('radio', { name: label, exact: true }).isChecked())) {
    throw new Error(`The radio button "${label}" is not checked after a click on its label`);
  }
}
