import { describe, expect, it } from "vitest";
import { clearDecision, loadDecision, saveDecision } from "./decisionStore";

const decision = {
  id: 7,
  status: "approved" as const,
  amount: "150000.00",
  created_at: "2025-03-10T15:30:00Z",
  message: "Aprobado.",
};

describe("decisionStore", () => {
  it("keeps only the decision's own fields, in this tab's sessionStorage", () => {
    saveDecision({
      ...decision,
      full_name: "Ana",
      dni: "30123456",
      email: "ana@example.com",
      decision_reason: "interno",
    } as typeof decision);
    expect(loadDecision()).toEqual(decision);
    expect(window.sessionStorage.getItem("prestamos.decision")).not.toMatch(/Ana|30123456|ana@|interno/);
    expect(window.localStorage.length).toBe(0);
    clearDecision();
    expect(loadDecision()).toBeNull();
  });

  it("drops an entry that is not a decision", () => {
    for (const raw of ["{", JSON.stringify({ id: "7" }), JSON.stringify({ ...decision, status: "deleted" })]) {
      window.sessionStorage.setItem("prestamos.decision", raw);
      expect(loadDecision()).toBeNull();
      expect(window.sessionStorage.getItem("prestamos.decision")).toBeNull();
    }
  });
});
