// The page of the profile form tests in spec/browser/angularExample.spec.ts:
// examples/angular/profile-form.component.ts, compiled by the test into /app/, bootstrapped as the
// application's root (JIT, zoneless, as main.mjs does for the chat).
//
// For the test, `window.states` records what the form showed: after every rendering (Angular's
// `afterEveryRender`), the values of its fields as the DOM holds them, when they differ from the last
// recorded. The test reads it at the end; nothing here waits or measures time.
import '@angular/compiler';
import { afterEveryRender, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { ProfileFormComponent } from '/app/profile-form.component.js';

const states = (window.states = []);
/** the form as the user sees it: each field's value, and the form's status */
function read() {
  const form = document.querySelector('form.profile');
  if (!form) return undefined;
  const field = (name) => form.querySelector(`[name="${name}"]`).value;
  return {
    status: form.dataset.status,
    name: field('name'),
    role: field('role'),
    skills: [...form.querySelectorAll('[name="skills"]')].map((input) => input.value),
    address: { street: field('address.street'), city: field('address.city'), country: field('address.country') },
    bio: field('bio'),
  };
}
function record() {
  const state = read();
  if (state && JSON.stringify(state) !== JSON.stringify(states.at(-1))) states.push(state);
}

bootstrapApplication(ProfileFormComponent, { providers: [provideZonelessChangeDetection()] }).then(
  (app) => {
    record();
    afterEveryRender(record, { injector: app.injector });
    // for the test: `app.destroy()` is what leaving the application does to the component
    window.app = app;
    document.body.dataset.status = 'ready';
  },
  (error) => {
    document.body.dataset.status = `error: ${error?.message ?? error}`;
    console.error(error);
  },
);
