// The page of spec/browser/angularExample.spec.ts: examples/angular/chat.component.ts, compiled by the
// test with TypeScript alone (no Angular CLI) into /app/, bootstrapped as the application's root.
// JIT: the compiler is loaded first and compiles the component's decorators in the page. Zoneless
// change detection: the component renders from signals, so no zone.js is loaded.
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ChatComponent } from '/app/chat.component.js';

bootstrapApplication(ChatComponent, { providers: [provideZonelessChangeDetection()] }).then(
  (app) => {
    // for the test: `app.destroy()` is what leaving the application does to the component
    window.app = app;
    document.body.dataset.status = 'ready';
  },
  (error) => {
    document.body.dataset.status = `error: ${error?.message ?? error}`;
    console.error(error);
  },
);
