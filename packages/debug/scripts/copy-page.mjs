// Copies the observer page's static files next to its compiled app.js (dist/src/observer/page).
import { copyFileSync, mkdirSync } from 'node:fs';
const from = new URL('../src/observer/page/', import.meta.url);
const to = new URL('../dist/src/observer/page/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of ['index.html', 'style.css']) copyFileSync(new URL(name, from), new URL(name, to));
