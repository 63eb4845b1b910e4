import { describe, expect, it } from "vitest";
import { getFilter, listFilters, setFilter, tokenize } from "./query";
import { formatDate, formatLocalDate, formatLocalDateTime, formatLocalShortDate, minorToDecimal, parseAmount } from "./format";
import { forPeople, humanMessage, queryMessage, reasonOf } from "./errors";
import { toIpcError } from "./backend";
import { scrollIntoBand, visibleRows } from "./virtual";
import { inTimeZone } from "../test/timezone";
import { EMAIL_CSP, emailSrcdoc } from "./email";

describe("query text editing", () => {
  it("reads, replaces and removes filters, keeping the words", () => {
    const q = 'coffee merchant:"Big Shop" amount:>20';
    expect(tokenize(q)).toEqual(["coffee", 'merchant:"Big Shop"', "amount:>20"]);
    expect(getFilter(q, "merchant")).toBe("Big Shop");
    expect(getFilter(q, "tag")).toBeNull();
    expect(setFilter(q, "merchant", "lidl")).toBe("coffee amount:>20 merchant:lidl");
    expect(setFilter(q, "amount", null)).toBe('coffee merchant:"Big Shop"');
    expect(setFilter("", "merchant", "Deutsche Bahn")).toBe('merchant:"Deutsche Bahn"');
    expect(getFilter("m:amazon", "merchant")).toBe("amazon");
    expect(listFilters("a after:2026-01-01 before:2026-02-01").map((f) => f.key)).toEqual(["after", "before"]);
  });
});

describe("money", () => {
  it("parses typed amounts into minor units per currency", () => {
    expect(parseAmount("49.99", "EUR")).toBe(4999);
    expect(parseAmount("49,99", "EUR")).toBe(4999);
    expect(parseAmount("1,234.50", "USD")).toBe(123450);
    expect(parseAmount("1.234,50", "EUR")).toBe(123450);
    expect(parseAmount("1 234", "EUR")).toBe(123400);
    expect(parseAmount("500", "JPY")).toBe(500);
    expect(parseAmount("1.005", "KWD")).toBe(1005);
    expect(parseAmount("12.345", "EUR")).toBe(1234500);
    expect(parseAmount("4.999", "JPY")).toBe(4999);
    expect(parseAmount("12.3x", "EUR")).toBeNull();
    expect(parseAmount("0.001", "EUR")).toBeNull();
    expect(parseAmount("", "EUR")).toBeNull();
    expect(minorToDecimal(4999, "EUR")).toBe("49.99");
    expect(minorToDecimal(5, "EUR")).toBe("0.05");
    expect(minorToDecimal(500, "JPY")).toBe("500");
  });

  it("formats the calendar date in the timestamp's own offset", () => {
    expect(formatDate("2026-10-03T23:30:00-05:00")).toBe("3 Oct 2026");
    expect(formatDate("garbage")).toBe("garbage");
  });

  it("when something was added (a UTC instant) is the day and time on this machine's clock", async () => {
    // 20:00 UTC on 3 Dec is already 4 Dec (09:00) in Auckland, still 3 Dec (12:00) in Los Angeles.
    await inTimeZone("Pacific/Auckland", () => {
      expect(formatLocalShortDate("2026-12-03T20:00:00Z", new Date(2026, 11, 5))).toBe("4 Dec");
      expect(formatLocalDate("2026-12-03T20:00:00Z")).toBe("4 Dec 2026");
      expect(formatLocalDateTime("2026-12-03T20:00:00Z")).toBe("4 Dec 2026, 09:00");
      // New Year's Eve in UTC is already New Year's Day here, this year: no year shown.
      expect(formatLocalShortDate("2025-12-31T20:00:00Z", new Date(2026, 0, 5))).toBe("1 Jan");
      // A payment date stays as written in its own offset, wherever the machine is.
      expect(formatDate("2026-12-03T20:00:00Z")).toBe("3 Dec 2026");
    });
    await inTimeZone("America/Los_Angeles", () => {
      expect(formatLocalShortDate("2026-12-04T05:30:00Z", new Date(2026, 11, 5))).toBe("3 Dec");
      expect(formatLocalDateTime("2026-12-04T05:30:00Z")).toBe("3 Dec 2026, 21:30");
      expect(formatLocalDate("2026-12-04T05:30:00+00:00")).toBe("3 Dec 2026");
      expect(formatLocalDate("not a time")).toBe("not a time");
      // A bare date is not shifted.
      expect(formatLocalDate("2026-12-04")).toBe("4 Dec 2026");
    });
  });
});

describe("errors", () => {
  it("has a human sentence per code and falls back to the message", () => {
    expect(humanMessage({ code: "busy", message: "" })).toContain("Another import");
    expect(humanMessage({ code: "invalid", message: "invalid value: -3 EUR" })).toBe(
      "That value is not valid. invalid value: -3 EUR",
    );
    expect(humanMessage({ code: "weird_new_code", message: "something odd" })).toBe("something odd");
    expect(queryMessage({ code: "bad_query", message: "bad query: kind:car is not a kind" })).toBe(
      "kind:car is not a kind",
    );
    expect(toIpcError("plain string")).toEqual({ code: "ipc", message: "plain string" });
    expect(toIpcError(new Error("boom"))).toEqual({ code: "ipc", message: "boom" });
  });
});

describe("email document", () => {
  it("puts the CSP first: no scripts, no remote loads", () => {
    const doc = emailSrcdoc("<p>hi</p>");
    expect(EMAIL_CSP).toBe("default-src 'none'; img-src data:; style-src 'unsafe-inline'");
    expect(doc.indexOf("Content-Security-Policy")).toBeLessThan(doc.indexOf("<p>hi</p>"));
    expect(doc).toContain(`content="${EMAIL_CSP}"`);
  });
});

describe("error messages for people", () => {
  it("drops advice meant for the terminal, keeps the file and the reason", () => {
    const m = "/tmp/x/Documents: not a Receipt Vault (no vault.db); run `vault init` to create one";
    expect(forPeople(m)).toBe("/tmp/x/Documents: not a Receipt Vault (no vault.db)");
    expect(humanMessage({ code: "not_a_vault", message: m })).toBe(
      "This folder is not a Receipt Vault. /tmp/x/Documents: not a Receipt Vault (no vault.db)",
    );
    expect(forPeople("/in/a.pdf: the file is empty (0 bytes)")).toBe("/in/a.pdf: the file is empty (0 bytes)");
    expect(reasonOf("/in/a.pdf", "/in/a.pdf: the file is empty (0 bytes)")).toBe("The file is empty (0 bytes)");
    expect(reasonOf("/in/a.pdf", "permission denied")).toBe("Permission denied");
  });
});


describe("virtual rows", () => {
  it("renders the rows in view plus the overscan, clipped to the row count", () => {
    expect(visibleRows(0, 400, 40, 8, 100_000)).toEqual([0, 18]);
    expect(visibleRows(4000, 400, 40, 8, 100_000)).toEqual([92, 118]);
    expect(visibleRows(4000, 400, 40, 8, 105)).toEqual([92, 105]);
  });

  it("scrolls only as far as needed to show a band", () => {
    const vp = { scrollTop: 1000 } as HTMLElement;
    expect(scrollIntoBand(vp, 1100, 40, 400)).toBe(1000); // already in view
    expect(scrollIntoBand(vp, 900, 40, 400)).toBe(900); // above: align its top
    expect(scrollIntoBand(vp, 1400, 40, 400)).toBe(1040); // below: align its bottom
  });
});

describe("typing dates", () => {
  it("shows how to type a date in the language's letters and the locale's order", async () => {
    const { i18n } = await import("./i18n/index.svelte");
    const { datePattern } = await import("./dateinput");
    try {
      expect(datePattern("en-GB")).toBe("DD/MM/YYYY");
      expect(datePattern("en-US")).toBe("MM/DD/YYYY");
      i18n.set("de");
      expect(datePattern("de-DE")).toBe("TT.MM.JJJJ");
      i18n.set("zh");
      expect(datePattern("zh-CN")).toBe("年/月/日");
    } finally {
      i18n.set("system");
    }
  });
});
