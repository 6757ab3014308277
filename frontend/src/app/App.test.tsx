import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RULES_BODY } from "@/testing/factories";
import { installFetchMock } from "@/testing/fetchMock";
import { App } from "./App";
import { startEarlyRequests } from "./earlyRequests";

describe("App routing", () => {
  it("shows the loan request form at /", async () => {
    installFetchMock().on("GET", "/api/loans/rules/", { body: RULES_BODY });
    render(<App />);
    expect(screen.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Pedir un préstamo" })).toHaveAttribute("aria-current", "page");
    expect(document.title).toBe("Pedí tu préstamo — Préstamos por internet");
    await screen.findByText(/Entre \$/);
  });

  it("shows a not-found page for unknown paths", () => {
    window.history.replaceState(null, "", "/no-existe");
    render(<App />);
    expect(screen.getByRole("heading", { name: "Página no encontrada" })).toBeInTheDocument();
    expect(document.title).toBe("Página no encontrada — Préstamos por internet");
  });

  it("navigates without reloading and focuses the main region", async () => {
    installFetchMock().on("GET", "/api/auth/me/", { status: 401 }).on("GET", "/api/loans/rules/", { body: RULES_BODY });
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole("link", { name: "Acceso para personal" }));
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff/login");
    expect(screen.getByRole("main")).toHaveFocus();

    await user.click(screen.getByRole("link", { name: "Préstamos por internet" }));
    expect(screen.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" })).toBeInTheDocument();
  });
});

describe("startEarlyRequests", () => {
  it("on a staff page, starts the session check before anything renders", () => {
    const api = installFetchMock().on("GET", "/api/auth/me/", { status: 401 });
    startEarlyRequests("/staff/login");
    expect(api.callsTo("GET", "/api/auth/me/")).toHaveLength(1);
  });

  it("on the public page, asks nothing of the staff API", () => {
    const api = installFetchMock();
    startEarlyRequests("/");
    expect(api.calls).toHaveLength(0);
  });
});
