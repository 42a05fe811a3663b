/**
 * Keeps a form still while the mouse presses one of its buttons, radio buttons or checkboxes. FKUI
 * checks a field when the field loses focus: a press that took the focus from a field just
 * corrected removed the field's message and the error list above it, what was pressed moved up
 * before the release, and the click landed elsewhere and was lost. So a press leaves the focus
 * where it is, and the click moves it to what was clicked (the field keeps its value and is
 * checked, as on any blur) before the form reacts. Keyboard clicks (Enter, Space) are left alone.
 */
export function keepFormsStillWhilePressed(page: Document): void {
  page.addEventListener('mousedown', (event) => {
    if (event.button === 0 && pressedControl(event.target)) event.preventDefault();
  });
  page.addEventListener(
    'click',
    (event) => {
      if (event.detail > 0) pressedControl(event.target)?.focus();
    },
    { capture: true },
  );
}

/** A form's submit button, radio button or checkbox, pressed directly or through its label. */
function pressedControl(target: EventTarget | null): HTMLButtonElement | HTMLInputElement | null {
  if (!(target instanceof Element)) return null;
  const button = target.closest('button');
  if (button) return button.type === 'submit' && button.form ? button : null;
  const control = target.closest('label')?.control ?? target;
  return control instanceof HTMLInputElement && ['radio', 'checkbox'].includes(control.type) && control.form
    ? control
    : null;
}
