import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "../../../app/App";
import { installFetchMock } from "../../../testing/fetchMock";
import { makeLoan, makePage } from "../../../testing/factories";

const user = { username: "analista", is_staff: true };

describe("staff area", () => {
  it("redirects to the login page when /api/auth/me/ answers 401", async () => {
    installFetchMock().on("GET", "/api/auth/me/", { status: 401, body: { errors: { __all__: ["No autenticado."] } } });
    window.history.replaceState(null, "", "/staff");
    render(<App />);
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff/login");
  });

  it("logs in with CSRF and shows the dashboard", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401, body: { errors: { __all__: ["No autenticado."] } } })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([makeLoan({ full_name: "Ana García" })]) });
    window.history.replaceState(null, "", "/staff/login");
    const u = userEvent.setup();
    render(<App />);

    await u.type(await screen.findByLabelText("Usuario"), "analista");
    await u.type(screen.getByLabelText("Contraseña"), "secreto");
    await u.click(screen.getByRole("button", { name: "Ingresar" }));

    expect(await screen.findByRole("table", { name: "Solicitudes de préstamo" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff");
    expect(screen.getByText("analista")).toBeInTheDocument();
    const [login] = api.callsTo("POST", "/api/auth/login/");
    expect(login?.body).toEqual({ username: "analista", password: "secreto" });
    expect(login?.headers.get("X-CSRFToken")).toBe("tok");
  });

  it("validates the login form and shows bad credentials", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", { status: 400, body: { errors: { __all__: ["Usuario o contraseña incorrectos."] } } });
    window.history.replaceState(null, "", "/staff/login");
    const u = userEvent.setup();
    render(<App />);

    await u.click(await screen.findByRole("button", { name: "Ingresar" }));
    const username = screen.getByLabelText("Usuario");
    expect(username).toHaveAttribute("aria-invalid", "true");
    expect(username).toHaveAccessibleDescription("Ingresá tu usuario.");
    expect(username).toHaveFocus();
    expect(api.callsTo("POST", "/api/auth/login/")).toHaveLength(0);

    await u.type(username, "analista");
    await u.type(screen.getByLabelText("Contraseña"), "mala");
    await u.click(screen.getByRole("button", { name: "Ingresar" }));
    expect(await screen.findByText("Usuario o contraseña incorrectos.")).toBeInTheDocument();
    expect(screen.getByLabelText("Contraseña")).toHaveValue("");
    expect(window.location.pathname).toBe("/staff/login");
  });

  it("sends a logged-in user from the login page to the dashboard", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([]) });
    window.history.replaceState(null, "", "/staff/login");
    render(<App />);
    expect(await screen.findByText("No hay solicitudes que coincidan.")).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff");
  });

  it("logs out and returns to the login page", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([makeLoan()]) })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/logout/", { status: 204 });
    window.history.replaceState(null, "", "/staff");
    const u = userEvent.setup();
    render(<App />);

    await u.click(await screen.findByRole("button", { name: "Cerrar sesión" }));
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff/login");
    expect(api.callsTo("POST", "/api/auth/logout/")[0]?.headers.get("X-CSRFToken")).toBe("tok");
  });

  it("goes back to login when the session expires while listing", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { status: 401, body: { errors: { __all__: ["No autenticado."] } } });
    window.history.replaceState(null, "", "/staff");
    render(<App />);
    await waitFor(() => expect(window.location.pathname).toBe("/staff/login"));
    expect(await screen.findByLabelText("Usuario")).toBeInTheDocument();
  });

  it("offers a retry when the session check fails", async () => {
    const api = installFetchMock()
      .once("GET", "/api/auth/me/", "network-error")
      .on("GET", "/api/auth/me/", { status: 401 });
    window.history.replaceState(null, "", "/staff");
    const u = userEvent.setup();
    render(<App />);
    await u.click(await screen.findByRole("button", { name: "Reintentar" }));
    expect(await screen.findByLabelText("Usuario")).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/auth/me/")).toHaveLength(2);
  });
});
