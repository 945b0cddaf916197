import * as t from 'io-ts';

/**
 * The shape of the answer the profile form asks for, in one place: the server's relay sends it to the
 * provider (`createChatRelay({ provider, options: { output: { schema: Profile } } })`, which turns it
 * into the provider's JSON Schema parameter), and the page decodes the finished answer with it
 * (`toObject(Profile)`). A codec cannot cross the relay, so the page never sends it: both import this file.
 *
 * Every key is required (`t.type`): OpenAI's strict mode wants them all, and the form has a field for each.
 *
 * @example
 * createChatRelay({ provider: 'openai', options: { model: 'gpt-5-mini', output: { schema: Profile, name: 'profile' } } });
 */
export const Profile = t.type({
  name: t.string,
  role: t.string,
  skills: t.array(t.string),
  address: t.type({ street: t.string, city: t.string, country: t.string }),
  bio: t.string,
});
export type Profile = t.TypeOf<typeof Profile>;
