import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { installFetchMock } from "../testing/fetchMock";
import { App } from "./App";

describe("App routing", () => {
  it("shows the loan request form at /", () => {
    render(<App />);
    expect(screen.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Pedir un préstamo" })).toHaveAttribute("aria-current", "page");
    expect(document.title).toMatch(/Pedí tu préstamo/);
  });

  it("shows a not-found page for unknown paths", () => {
    window.history.replaceState(null, "", "/no-existe");
    render(<App />);
    expect(screen.getByRole("heading", { name: "Página no encontrada" })).toBeInTheDocument();
  });

  it("navigates without reloading and focuses the main region", async () => {
    installFetchMock().on("GET", "/api/auth/me/", { status: 401 });
    const user = userEvent.setup();
    render(<App />);
    await user.click(screen.getByRole("link", { name: "Acceso para personal" }));
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff/login");
    expect(screen.getByRole("main")).toHaveFocus();

    await user.click(screen.getByRole("link", { name: "Préstamos por internet" }));
    expect(screen.getByRole("heading", { level: 1, name: "Pedí tu préstamo por internet" })).toBeInTheDocument();
    window.history.back();
  });
});
