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

/** One line to show for an error: the human sentence plus the specific message. */
export function humanMessage(e: IpcError): string {
  const title = HUMAN[e.code];
  if (!title) return e.message;
  if (!e.message || e.message === title) return title;
  return `${title} ${e.message}`;
}

/** For bad queries the core's message is already written for people ("kind:car is not a kind…"). */
export function queryMessage(e: IpcError): string {
  if (e.code === "bad_query") return e.message.replace(/^bad query:\s*/i, "");
  return humanMessage(e);
}
