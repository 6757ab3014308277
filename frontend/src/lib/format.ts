/** Formatting helpers for the es-AR locale. */

const currency = new Intl.NumberFormat("es-AR", { style: "currency", currency: "ARS" });
const dateTime = new Intl.DateTimeFormat("es-AR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "America/Argentina/Buenos_Aires",
});
const dateOnly = new Intl.DateTimeFormat("es-AR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  timeZone: "America/Argentina/Buenos_Aires",
});

/** Formats an amount in pesos: 150000 or "150000.50" → "$ 150.000,50". Invalid input → "—". */
export function formatARS(amount: number | string): string {
  const value = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(value)) return "—";
  // Intl uses a non-breaking space between the symbol and the number; keep it as is.
  return currency.format(value);
}

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2024-05-01T13:45:00Z" → "01/05/2024, 10:45" (Buenos Aires time). */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null) return "—";
  const date = toDate(value);
  return date ? dateTime.format(date) : "—";
}

/** "2024-05-01T13:45:00Z" → "01/05/2024". */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null) return "—";
  const date = toDate(value);
  return date ? dateOnly.format(date) : "—";
}

/**
 * Parses an amount typed by a person into a canonical decimal string ("150000.5"),
 * accepting the Argentine style ("150.000,50"), plain ("150000.50") and a leading "$".
 * Returns null when it is not a non-negative decimal number.
 */
export function normalizeAmountInput(raw: string): string | null {
  let text = raw.replace(/[\s\u00a0]/g, "").replace(/^\$/, "");
  if (text === "") return null;
  if (text.includes(",")) {
    // Comma is the decimal separator; dots are thousands separators.
    if (!/^\d{1,3}(\.\d{3})*(,\d*)?$/.test(text) && !/^\d+(,\d*)?$/.test(text)) return null;
    text = text.replace(/\./g, "").replace(",", ".");
  } else if (/^\d{1,3}(\.\d{3})+$/.test(text)) {
    // "150.000": dots as thousands separators.
    text = text.replace(/\./g, "");
  }
  if (!/^\d+(\.\d*)?$/.test(text)) return null;
  if (text.endsWith(".")) text = text.slice(0, -1);
  return text.replace(/^0+(?=\d)/, "");
}

/** Number of digits after the decimal point of a canonical decimal string. */
export function decimalPlaces(canonical: string): number {
  const dot = canonical.indexOf(".");
  return dot === -1 ? 0 : canonical.length - dot - 1;
}

const amountInput = new Intl.NumberFormat("es-AR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An API amount as a person types it in es-AR: "50000.00" → "50.000,00" (what normalizeAmountInput reads back). */
export function formatAmountInput(amount: string): string {
  const value = Number(amount);
  return Number.isFinite(value) ? amountInput.format(value) : amount;
}
