import { describe, expect, it } from "vitest";
import {
  validateAmount,
  validateDni,
  validateEmail,
  validateFullName,
  validateLoanRequest,
  type LoanFormValues,
} from "./validateLoanRequest";

const rules = { minAmount: 10000, maxAmount: 5000000 };
const valid: LoanFormValues = {
  full_name: "  Ana   García ",
  dni: "30.123.456",
  gender: "F",
  email: " ana@example.com ",
  amount: "150.000,5",
};

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

  it("DNI: 7 or 8 digits; the message names the actual problem", () => {
    expect(validateDni("1234567")).toBeUndefined();
    expect(validateDni("12345678")).toBeUndefined();
    // Dots and spaces are accepted, so a wrong length never talks about dots.
    expect(validateDni("30.123.456")).toBeUndefined();
    expect(validateDni("12.345")).toBe("El DNI debe tener 7 u 8 dígitos (ingresaste 5).");
    expect(validateDni("123456789")).toBe("El DNI debe tener 7 u 8 dígitos (ingresaste 9).");
    expect(validateDni("12a45678")).toBe("El DNI solo puede tener números.");
    expect(validateDni("  ")).toBe("Ingresá tu DNI.");
  });

  it("email: format and at most 254 characters, called «correo electrónico» as in its label", () => {
    expect(validateEmail("ana@example.com")).toBeUndefined();
    expect(validateEmail("")).toBe("Ingresá tu correo electrónico.");
    expect(validateEmail("ana@example")).toMatch(/correo electrónico válido/);
    expect(validateEmail("ana example.com")).toMatch(/correo electrónico válido/);
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

  it("amount without the bounds (not loaded): only the format is checked", () => {
    expect(validateAmount("5", null)).toBeUndefined();
    expect(validateAmount("5,123", null)).toMatch(/2 decimales/);
    expect(validateAmount("", null)).toMatch(/Ingresá el monto/);
  });
});
