// Copy buttons: <button data-copy="ELEMENT_ID"> copies that element's text and says so.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const text = source.textContent.trim();
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    // No clipboard API (an insecure origin): select the text so Ctrl+C takes it.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  button.textContent = copied ? "Copied" : "Selected: press Ctrl+C";
  const status = document.getElementById(`${button.dataset.copy}-status`);
  if (status) status.textContent = copied ? "Key copied to the clipboard." : "";
});
