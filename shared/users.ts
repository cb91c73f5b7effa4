/**
 * The rules for a user's name, display name and password, shared by the contract
 * (parsed in the main process), the services (the CLI enters there too) and the
 * renderer's forms (shown and checked as the user types): each message exists once.
 */
import { z } from 'zod';
import { roles } from './roles';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export const USERNAME_RULE =
  'A username is 2–64 characters: letters, digits, dot, dash or underscore, starting with a letter or digit.';
export const PASSWORD_RULE = `A password has at least ${MIN_PASSWORD_LENGTH} characters (at most ${MAX_PASSWORD_LENGTH}).`;
export const DISPLAY_NAME_RULE = `A display name has 1 to ${MAX_DISPLAY_NAME_LENGTH} characters.`;

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export function usernameProblem(username: string): string | null {
  return /^[a-z0-9][a-z0-9._-]{1,63}$/.test(normalizeUsername(username)) ? null : USERNAME_RULE;
}

export function passwordProblem(password: string): string | null {
  return password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH ? PASSWORD_RULE : null;
}

/** A display name as stored: NFC, trimmed. */
export function cleanDisplayName(name: string): string {
  return name.normalize('NFC').trim();
}

export function displayNameProblem(name: string): string | null {
  const clean = cleanDisplayName(name);
  return clean.length < 1 || clean.length > MAX_DISPLAY_NAME_LENGTH ? DISPLAY_NAME_RULE : null;
}

/** Contract fields (the services check again with the functions above). */
export const usernameField = z.string().trim().min(1, 'Enter a username.').max(64, USERNAME_RULE);
export const newUsernameField = usernameField.refine((value) => usernameProblem(value) === null, USERNAME_RULE);
export const displayNameField = z.string().trim().min(1, DISPLAY_NAME_RULE).max(MAX_DISPLAY_NAME_LENGTH, DISPLAY_NAME_RULE);
export const newPasswordField = z.string().min(MIN_PASSWORD_LENGTH, PASSWORD_RULE).max(MAX_PASSWORD_LENGTH, PASSWORD_RULE);
export const roleField = z.enum(roles, 'The role must be agent, supervisor or admin.');
