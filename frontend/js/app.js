// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";
import htmx from "./htmx.esm.js";

window.htmx = htmx;
initAll();
