/**
 * Keeps a submit button where it is while the mouse presses it. FKUI checks a field when the field
 * loses focus: a press that took the focus from a field just corrected removed the field's message
 * and the error list above the form, the button moved up before the release, and the click landed
 * elsewhere and was lost. So a press leaves the focus where it is, and the click moves it to the
 * button (the field keeps its value and is checked, as on any blur) before the form is sent.
 * Clicks from the keyboard (Enter, Space) are left as they are.
 */
export function keepSubmitButtonsStill(page: Document): void {
  page.addEventListener('mousedown', (event) => {
    if (event.button === 0 && submitButtonOf(event.target)) event.preventDefault();
  });
  page.addEventListener(
    'click',
    (event) => {
      if (event.detail > 0) submitButtonOf(event.target)?.focus();
    },
    { capture: true },
  );
}

function submitButtonOf(target: EventTarget | null): HTMLButtonElement | null {
  const button = target instanceof Element ? target.closest('button') : null;
  return button?.type === 'submit' && button.form ? button : null;
}
