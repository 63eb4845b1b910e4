// A human sentence per error code. The core's message (which names the file or the
// value) is shown next to it; an unknown code falls back to the message alone.

import type { IpcError } from "./types";

const HUMAN: Record<string, string> = {
  bad_query: "The search could not be understood.",
  not_found: "This voucher is no longer in the vault.",
  not_a_vault: "This folder is not a Receipt Vault.",
  newer_schema: "This vault was written by a newer Receipt Vault. Update the app to open it.",
  io: "A file could not be read or written.",
  database: "The vault's database could not be used. Nothing was changed.",
  bad_file: "This file could not be read as a voucher.",
  invalid: "That value is not valid.",
  bad_bundle: "This is not a valid evidence bundle.",
  no_data_dir: "There is no folder for the vault. Choose one in Settings.",
  busy: "Another import is still running. Wait for it to finish, then try again.",
  internal: "Receipt Vault ran into an internal problem. Nothing was changed.",
  ipc: "The window could not reach Receipt Vault.",
};

/** A sentence for people, or null when the code is unknown. */
export function humanTitle(code: string): string | null {
  return HUMAN[code] ?? null;
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
  const title = HUMAN[e.code];
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
