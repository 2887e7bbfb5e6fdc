'use strict';
// The back-office's autocomplete fields: select2 names its combobox after the selected text only, so a
// screen reader (and axe-core) finds no name when nothing is chosen. Name it after the field's label too.
{
    function nameComboboxes(root) {
        root.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const label = document.querySelector(`label[for="${select.id}"]`);
            const container = select.nextElementSibling;
            const combobox = container && container.querySelector('[role="combobox"]');
            if (!label || !combobox) {
                return;
            }
            label.id = label.id || `${select.id}-label`;
            const named = (combobox.getAttribute('aria-labelledby') || '').split(' ').filter((id) => id && id !== label.id);
            combobox.setAttribute('aria-labelledby', [label.id, ...named].join(' '));
            const rendered = combobox.querySelector('[role="textbox"]');
            if (rendered) {
                rendered.setAttribute('aria-labelledby', label.id);
            }
        });
    }

    // This deferred script runs after the admin's autocomplete.js, so its ready handler runs after the one
    // that builds the comboboxes.
    if (window.django && window.django.jQuery) {
        window.django.jQuery(() => nameComboboxes(document));
    }
    // Django initialises the autocomplete of an added inline row on this same event: name it right after.
    document.addEventListener('formset:added', (event) => setTimeout(() => nameComboboxes(event.target)));
}
