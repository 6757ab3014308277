import { describe, expect, it } from "vitest";
import { validateAmount, validateDni, validateEmail, validateFullName, validateLoanRequest, type LoanFormValues } from "./validateLoanRequest";

const rules = { minAmount: 10000, maxAmount: 5000000 };
const valid: LoanFormValues = { full_name: "  Ana   García ", dni: "30.123.456", gender: "F", email: " ana@example.com ", amount: "150.000,5" };

describe("validateLoanRequest", () => {
  it("returns a normalized payload for valid input", () => {
    expect(validateLoanRequest(valid, rules)).toEqual({
      ok: true,
      data: { full_name: "Ana García", dni: "30123456", gender: "F", email: "ana@example.com", amount: "150000.50" },
    });
  });

  it("reports every invalid field", () => {
    const result = validateLoanRequest({ full_name: "", dni: "", gender: "", email: "", amount: "" }, rules);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["amount", "dni", "email", "full_name", "gender"]);
  });
});

describe("field rules (mirroring the server)", () => {
  it("full name: 3 to 120 characters", () => {
    expect(validateFullName("Al")).toMatch(/al menos 3/);
    expect(validateFullName("Ana")).toBeUndefined();
    expect(validateFullName("a".repeat(120))).toBeUndefined();
    expect(validateFullName("a".repeat(121))).toMatch(/como máximo 120/);
  });

  it("DNI: 7 or 8 digits", () => {
    expect(validateDni("1234567")).toBeUndefined();
    expect(validateDni("12345678")).toBeUndefined();
    expect(validateDni("123456")).toMatch(/7 u 8 dígitos/);
    expect(validateDni("123456789")).toMatch(/7 u 8 dígitos/);
    expect(validateDni("12a45678")).toMatch(/7 u 8 dígitos/);
  });

  it("email: format and at most 254 characters", () => {
    expect(validateEmail("ana@example.com")).toBeUndefined();
    expect(validateEmail("ana@example")).toMatch(/email válido/);
    expect(validateEmail("ana example.com")).toMatch(/email válido/);
    expect(validateEmail(`${"a".repeat(250)}@x.com`)).toMatch(/como máximo 254/);
  });

  it("amount: decimal, at most 2 decimals, within the bounds", () => {
    expect(validateAmount("10000", rules)).toBeUndefined();
    expect(validateAmount("5000000.00", rules)).toBeUndefined();
    expect(validateAmount("9999.99", rules)).toBe("El monto mínimo es $\u00a010.000,00.");
    expect(validateAmount("5000000.01", rules)).toBe("El monto máximo es $\u00a05.000.000,00.");
    expect(validateAmount("15000.123", rules)).toMatch(/2 decimales/);
    expect(validateAmount("mucho", rules)).toMatch(/monto válido/);
  });
});
