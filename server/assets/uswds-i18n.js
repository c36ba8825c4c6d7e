// USWDS 3.14's file input and character count write their own texts, in English, and read no
// setting for another language (the file input's error message, data-errormessage, is the one
// exception). So that a Spanish page speaks Spanish (#17 item 11), this script watches each of those
// components and puts the catalogue's text, which the server writes into data-text-* attributes
// (views/partials/fields.njk), in place of each English text USWDS writes. On an English page the
// catalogue's text is USWDS's own, and nothing changes. Without JavaScript neither component is
// built: the page's own label and hint say all there is to say.
(() => {
  const lang = document.documentElement.lang || undefined;
  // Numbers as the server writes them (localeOf in server/platform/dates.ts): "20,000" in both.
  const locale = { en: 'en-US', es: 'es-US' }[lang] ?? lang;
  const number = (n) => new Intl.NumberFormat(locale).format(Number(n));
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (whole, key) => values[key] ?? whole);
  const capital = (text) => text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);

  /** A file input's English text in the page's language; text that is not USWDS's as it is. */
  function fileText(text, d) {
    let m = /^You have selected the file: ([\s\S]*)$/.exec(text);
    if (m) return fill(d.textSelectedOne, { name: m[1] });
    m = /^You have selected (\d+) files: ([\s\S]*)$/.exec(text);
    if (m) return fill(d.textSelectedMany, { n: number(m[1]), names: m[2] });
    m = /^(\d+) files selected$/.exec(text);
    if (m) return fill(d.textHeadingMany, { n: number(m[1]) });
    if (text === 'Selected file') return d.textHeadingOne;
    if (/^No files? selected\.$/.test(text)) return d.textNone;
    // The instructions, alone or in the input's label after an error message.
    return text
      .replace(/\bDrag files? here or\b/, () => d.textDrag)
      .replace(/\bChoose from folder\b/, () => capital(d.textChoose))
      .replace(/\bchoose from folder\b/, () => d.textChoose)
      .replace(/\bChange files\b/, () => d.textChangeMany)
      .replace(/\bChange file\b/, () => d.textChangeOne);
  }

  /** A character count's English status in the page's language. */
  function countText(text, d) {
    const m = /^(Character limit exceeded\. )?(\d+) characters? (allowed|left|over limit)$/.exec(text);
    if (!m) return text;
    const n = Number(m[2]);
    const template =
      m[3] === 'allowed'
        ? d.textAllowed
        : m[3] === 'left'
          ? n === 1
            ? d.textLeftOne
            : d.textLeftOther
          : n === 1
            ? d.textOverOne
            : d.textOverOther;
    return (m[1] ? `${d.textExceeded} ` : '') + fill(template, { n: number(n) });
  }

  /** Rewrites each text node under `root` (but under `skip`) whose text `translate` changes. */
  function translateTexts(root, translate, skip) {
    const walker = document.createTreeWalker(root, window.NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (skip && node.parentElement?.closest(skip)) continue;
      const [, before, text, after] = /^(\s*)([\s\S]*?)(\s*)$/.exec(node.data);
      if (!text) continue;
      const translated = translate(text);
      if (translated !== text) node.data = before + translated + after;
    }
  }

  function translateLabel(element, translate) {
    const label = element.getAttribute('aria-label');
    if (label === null) return;
    const translated = translate(label);
    if (translated !== label) element.setAttribute('aria-label', translated);
  }

  /** Translates now and after each change USWDS makes (our own changes leave nothing to change). */
  function watch(root, translate) {
    translate();
    new window.MutationObserver(translate).observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-label'],
    });
  }

  for (const input of document.querySelectorAll('input[type="file"][data-text-drag]')) {
    const d = input.dataset;
    const text = (value) => fileText(value, d);
    // USWDS builds its drop zone inside the input's parent: watch the parent.
    watch(input.parentElement, () => {
      const zone = input.closest('.usa-file-input');
      if (!zone) return;
      translateTexts(zone, text, '.usa-file-input__preview');
      translateLabel(input, text);
    });
  }

  const counters = document.querySelectorAll('.usa-character-count[data-text-allowed]');
  for (const counter of counters) {
    const text = (value) => countText(value, counter.dataset);
    watch(counter, () => {
      for (const status of counter.querySelectorAll('.usa-character-count__status, .usa-character-count__sr-status')) {
        translateTexts(status, text);
      }
    });
  }
  // USWDS starts each count at "N characters allowed", whatever the field holds: a page shown again
  // with text over the limit (refused by the server, kept in full) says how far over it is. Runs after
  // USWDS has built its components (its own DOMContentLoaded listener was added before this one).
  document.addEventListener('DOMContentLoaded', () => {
    for (const counter of counters) {
      const field = counter.querySelector('.usa-character-count__field');
      if (field?.value) field.dispatchEvent(new window.Event('input', { bubbles: true }));
    }
  });
})();
