// A human sentence per error code. The core's message (which names the file or the
// value) is shown next to it; an unknown code falls back to the message alone.

import type { IpcError } from "./types";
import { t } from "./i18n/index.svelte";
import type { Key } from "./i18n/en";

const CODES = new Set([
  "bad_query",
  "not_found",
  "not_a_vault",
  "newer_schema",
  "io",
  "database",
  "bad_file",
  "invalid",
  "bad_bundle",
  "no_data_dir",
  "busy",
  "internal",
  "ipc",
]);

function human(code: string): string | null {
  return CODES.has(code) ? t(`error.${code}` as Key) : null;
}

/** A sentence for people, or null when the code is unknown. */
export function humanTitle(code: string): string | null {
  return human(code);
}

/**
 * The core's message without advice meant for the terminal (e.g. "…; run `vault init` to
 * create one"): in the window the buttons next to the message are the way out.
 */
export function forPeople(message: string): string {
  return message.replace(/[;,.]?\s*run `[^`]*`[^;]*$/i, "").trim();
}

/** One line to show for an error: the human sentence plus the specific message. */
export function humanMessage(e: IpcError): string {
  const title = human(e.code);
  const message = forPeople(e.message);
  if (!title) return message;
  if (!message || message === title) return title;
  return `${title} ${message}`;
}

/** For bad queries the core's message is already written for people ("kind:car is not a kind…"). */
export function queryMessage(e: IpcError): string {
  if (e.code === "bad_query") return e.message.replace(/^bad query:\s*/i, "");
  return humanMessage(e);
}

/**
 * Why a file failed, without the file's path in front (it is shown next to it):
 * "/in/a.pdf: the file is empty" → "The file is empty".
 */
export function reasonOf(path: string, message: string): string {
  const m = forPeople(message);
  const rest = m.startsWith(`${path}: `) ? m.slice(path.length + 2) : m;
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
