import { describe, expect, it } from "vitest";
import {
  decimalPlaces,
  formatARS,
  formatAmountInput,
  formatDate,
  formatDateTime,
  normalizeAmountInput,
} from "./format";

// Intl separates the symbol with a non-breaking space.
const nbsp = (text: string) => text.replace(/ /g, "\u00a0");

describe("formatARS", () => {
  it("formats pesos the Argentine way", () => {
    expect(formatARS(150000)).toBe(nbsp("$ 150.000,00"));
    expect(formatARS("1234567.5")).toBe(nbsp("$ 1.234.567,50"));
    expect(formatARS("10000.00")).toBe(nbsp("$ 10.000,00"));
  });

  it("shows a dash for values that are not numbers", () => {
    expect(formatARS("abc")).toBe("—");
    expect(formatARS(Number.NaN)).toBe("—");
  });
});

describe("dates", () => {
  it("formats in Buenos Aires time, day first", () => {
    expect(formatDateTime("2025-03-10T15:30:00Z")).toBe("10/03/2025, 12:30");
    expect(formatDate("2025-03-10T02:00:00Z")).toBe("09/03/2025");
  });

  it("handles missing and invalid dates", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
    expect(formatDateTime("not a date")).toBe("—");
  });
});

describe("normalizeAmountInput", () => {
  it.each([
    ["150000", "150000"],
    ["150000.50", "150000.50"],
    ["150.000", "150000"],
    ["150.000,5", "150000.5"],
    ["1.500.000,25", "1500000.25"],
    ["$ 20000", "20000"],
    ["20000,", "20000"],
    ["0050000", "50000"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeAmountInput(input)).toBe(expected);
  });

  it.each(["", "abc", "-100", "1,2,3", "12.34.5", "1e5"])("rejects %j", (input) => {
    expect(normalizeAmountInput(input)).toBeNull();
  });

  it("counts decimals", () => {
    expect(decimalPlaces("100")).toBe(0);
    expect(decimalPlaces("100.123")).toBe(3);
  });
});

describe("formatAmountInput", () => {
  it("writes an API amount the es-AR way, which the form reads back", () => {
    expect(formatAmountInput("50000.00")).toBe("50.000,00");
    expect(formatAmountInput("1234567.5")).toBe("1.234.567,50");
    expect(normalizeAmountInput(formatAmountInput("1234567.5"))).toBe("1234567.50");
    expect(formatAmountInput("abc")).toBe("abc");
  });
});
