import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal } from '@angular/core';
import type { PartialObject } from 'rxllm';
import type { Profile } from './profile';
import { ProfileService } from './profile.service';

/** The form's value: every field present, empty until the model starts it. */
type ProfileForm = Profile;

const formOf = (value: PartialObject<Profile> = {}): ProfileForm => ({
  name: value.name ?? '',
  role: value.role ?? '',
  skills: value.skills ?? [],
  address: { street: value.address?.street ?? '', city: value.address?.city ?? '', country: value.address?.country ?? '' },
  bio: value.bio ?? '',
});

/**
 * A profile form that the model fills in field by field: type a description, and the name, the role,
 * the skills (one more input per skill), the address and the bio appear as the answer streams, each
 * field growing as its text arrives; the fields the model has not reached stay empty.
 *
 * The form's value is a signal (`linkedSignal`): set from each partial value while the answer streams
 * (read-only meanwhile), then the user's to edit (`patch`, as `FormGroup.patchValue`). When the finished
 * answer does not fit the codec, the message names each failing path and those fields are marked
 * `aria-invalid`. A new description cancels the answer still streaming; leaving the page aborts it.
 *
 * @example
 * <rxllm-profile-form baseURL="/api/profile" />
 */
@Component({
  selector: 'rxllm-profile-form',
  standalone: true,
  // one profile per form, ended with it
  providers: [ProfileService],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="describe" (submit)="$event.preventDefault(); fill(description.value)">
      <input #description placeholder="Describe a person…" />
      <button type="submit">Fill the form</button>
    </form>
    <form class="profile" [attr.data-status]="status()" [attr.aria-busy]="streaming()" (submit)="$event.preventDefault()">
      <label>Name <input name="name" #name [value]="form().name" [readonly]="streaming()" [attr.aria-invalid]="invalid('name')" (input)="patch({ name: name.value })" /></label>
      <label>Role <input name="role" #role [value]="form().role" [readonly]="streaming()" [attr.aria-invalid]="invalid('role')" (input)="patch({ role: role.value })" /></label>
      <fieldset class="skills" [attr.aria-invalid]="invalid('skills')">
        <legend>Skills</legend>
        @for (skill of form().skills; track $index) {
          <input name="skills" #item [value]="skill" [readonly]="streaming()" [attr.aria-invalid]="invalid('skills.' + $index)" (input)="patchSkill($index, item.value)" />
        }
      </fieldset>
      <fieldset class="address" [attr.aria-invalid]="invalid('address')">
        <legend>Address</legend>
        <label>Street <input name="address.street" #street [value]="form().address.street" [readonly]="streaming()" [attr.aria-invalid]="invalid('address.street')" (input)="patchAddress({ street: street.value })" /></label>
        <label>City <input name="address.city" #city [value]="form().address.city" [readonly]="streaming()" [attr.aria-invalid]="invalid('address.city')" (input)="patchAddress({ city: city.value })" /></label>
        <label>Country <input name="address.country" #country [value]="form().address.country" [readonly]="streaming()" [attr.aria-invalid]="invalid('address.country')" (input)="patchAddress({ country: country.value })" /></label>
      </fieldset>
      <label>Bio <textarea name="bio" #bio rows="6" [value]="form().bio" [readonly]="streaming()" [attr.aria-invalid]="invalid('bio')" (input)="patch({ bio: bio.value })"></textarea></label>
    </form>
    @if (profiles.draft()?.error; as error) {
      <p class="error" role="alert">{{ error }}</p>
    }
  `,
})
export class ProfileFormComponent {
  /** the relay's URL: a route of your server whose `createChatRelay` has `output: { schema: Profile }` */
  readonly baseURL = input('/api/profile');

  protected readonly profiles = inject(ProfileService);

  /** the form's value: the model's so far while it writes (a new partial value resets it), then the user's edits */
  readonly form = linkedSignal<ProfileForm>(() => formOf(this.profiles.draft()?.value));
  /** `idle` before the first description, then the draft's status */
  readonly status = computed(() => this.profiles.draft()?.status ?? 'idle');
  protected readonly streaming = computed(() => this.status() === 'streaming');
  private readonly invalidPaths = computed(() => this.profiles.draft()?.invalid ?? []);

  /** Asks for a profile of `description`; the form empties and fills in as the answer streams. */
  fill(description: string): void {
    this.profiles.fill(description, this.baseURL());
  }

  /** Sets some fields, keeping the others (what `FormGroup.patchValue` does). */
  protected patch(fields: Partial<ProfileForm>): void {
    this.form.update((form) => ({ ...form, ...fields }));
  }

  protected patchAddress(fields: Partial<ProfileForm['address']>): void {
    this.form.update((form) => ({ ...form, address: { ...form.address, ...fields } }));
  }

  protected patchSkill(index: number, skill: string): void {
    this.form.update((form) => ({ ...form, skills: form.skills.map((s, i) => (i === index ? skill : s)) }));
  }

  /** `'true'` for a field whose path (or a path inside it) failed the codec, else no attribute */
  protected invalid(path: string): 'true' | null {
    return this.invalidPaths().some((failed) => failed === path || failed.startsWith(`${path}.`)) ? 'true' : null;
  }
}
