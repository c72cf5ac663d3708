// Compiles the Sass and copies the browser files into minipolice/static/build.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "minipolice", "static", "build");
const modules = join(here, "node_modules");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(here, "scss", "main.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(join(out, "main.css"), css.css);

const dist = join(modules, "govuk-frontend", "dist", "govuk");
cpSync(join(dist, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(dist, "assets", "images"), join(out, "assets", "images"), { recursive: true });
cpSync(join(modules, "htmx.org", "dist", "htmx.esm.js"), join(out, "htmx.esm.js"));
cpSync(join(here, "js", "app.js"), join(out, "app.js"));
// Leaflet for the public map of units; the page is a plain list when tiles are not configured.
cpSync(join(modules, "leaflet", "dist"), join(out, "leaflet"), { recursive: true });
console.log(`front end built into ${out}`);
