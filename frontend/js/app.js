// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import htmx from "./htmx.esm.js";

window.htmx = htmx;
initAll();

// An htmx request that fails (the server answers with an error, or the connection is lost)
// changes nothing on the page, so the page must say so. An element that sends requests names,
// in data-mp-request-error, the id of a hidden GOV.UK error summary (role="alert") to show:
// it is shown and focused, as GOV.UK error summaries are, and its link leads back to the row
// that failed. The next request from there that succeeds hides it again.
function requestErrorBox(event) {
  const sender = event.detail.requestConfig?.elt ?? event.detail.elt;
  const source = sender?.closest("[data-mp-request-error]");
  const box = source && document.getElementById(source.dataset.mpRequestError);
  return box ? { source, box } : null;
}

function showRequestError(event) {
  const found = requestErrorBox(event);
  if (!found) return;
  const row = found.source.closest("[id]");
  const link = found.box.querySelector("[data-mp-request-error-link]");
  if (row && link) link.setAttribute("href", `#${row.id}`);
  found.box.hidden = false;
  found.box.focus();
}

function hideRequestError(event) {
  const found = !event.detail.isError && requestErrorBox(event);
  if (found) found.box.hidden = true;
}

document.addEventListener("htmx:responseError", showRequestError);
document.addEventListener("htmx:sendError", showRequestError);
// Before the swap: afterwards an outerHTML swap has taken the sender out of the page.
document.addEventListener("htmx:beforeSwap", hideRequestError);
