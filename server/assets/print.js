// "Print this page" buttons (#17 item 4): hidden in the page, shown only where this script runs.
// Without JavaScript the page says how to print with the browser's own command instead.
for (const button of document.querySelectorAll('button[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
