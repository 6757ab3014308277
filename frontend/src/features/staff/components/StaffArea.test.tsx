import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { usePathname } from "@/lib/router";
import { RULES_BODY, makeLoan, makePage } from "@/testing/factories";
import { installFetchMock } from "@/testing/fetchMock";
import { prefetchCurrentUser } from "../api/auth";
import { StaffArea } from "./StaffArea";

const user = { username: "analista", is_staff: true };

/** The staff area under the app's routing (App passes the current pathname). */
function Harness() {
  return <StaffArea pathname={usePathname()} />;
}

function renderAt(url: string) {
  window.history.replaceState(null, "", url);
  render(<Harness />);
}

const where = () => window.location.pathname + window.location.search;

async function logIn(u: ReturnType<typeof userEvent.setup>, password = "secreto") {
  await u.type(await screen.findByLabelText("Usuario"), "analista");
  await u.type(screen.getByLabelText("Contraseña"), password);
  await u.click(screen.getByRole("button", { name: "Ingresar" }));
}

describe("staff area: session and login", () => {
  it("redirects to the login page when /api/auth/me/ answers 401, without an expiry message", async () => {
    installFetchMock().on("GET", "/api/auth/me/", { status: 401, body: { errors: { __all__: ["No autenticado."] } } });
    renderAt("/staff");
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(where()).toBe("/staff/login");
    expect(screen.queryByText(/Tu sesión venció/)).not.toBeInTheDocument();
    expect(document.title).toBe("Ingreso del personal — Préstamos por internet");
  });

  it("logs in with CSRF and shows the list", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([makeLoan({ full_name: "Ana García" })]) });
    const u = userEvent.setup();
    renderAt("/staff/login");
    await logIn(u);

    expect(await screen.findByRole("table", { name: "Solicitudes de préstamo" })).toBeInTheDocument();
    expect(where()).toBe("/staff");
    expect(screen.getByText("analista")).toBeInTheDocument();
    const [login] = api.callsTo("POST", "/api/auth/login/");
    expect(login?.body).toEqual({ username: "analista", password: "secreto" });
    expect(login?.headers.get("X-CSRFToken")).toBe("tok");
  });

  it("a shared link to a filtered list survives the login", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([makeLoan()]) });
    const u = userEvent.setup();
    renderAt("/staff?status=pending&page=2");
    await waitFor(() => expect(window.location.pathname).toBe("/staff/login"));
    expect(new URLSearchParams(window.location.search).get("next")).toBe("/staff?status=pending&page=2");
    await logIn(u);
    await waitFor(() => expect(where()).toBe("/staff?status=pending&page=2"));
    await waitFor(() =>
      expect(Object.fromEntries(api.callsTo("GET", "/api/loans/")[0]!.query)).toMatchObject({
        status: "pending",
        page: "2",
      }),
    );
  });

  it("validates the login form and shows bad credentials as one sentence, not a list", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", {
        status: 400,
        body: { errors: { __all__: ["Usuario o contraseña incorrectos."] } },
      });
    const u = userEvent.setup();
    renderAt("/staff/login");

    await u.click(await screen.findByRole("button", { name: "Ingresar" }));
    const username = screen.getByLabelText("Usuario");
    expect(username).toHaveAttribute("aria-invalid", "true");
    expect(username).toHaveAccessibleDescription("Ingresá tu usuario.");
    expect(username).toHaveFocus();
    expect(api.callsTo("POST", "/api/auth/login/")).toHaveLength(0);

    await logIn(u, "mala");
    const message = await screen.findByText("Usuario o contraseña incorrectos.");
    expect(message.tagName).toBe("P");
    expect(within(screen.getByRole("alert")).queryByRole("list")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Contraseña")).toHaveValue("");
    expect(where()).toBe("/staff/login");
  });

  it("shows the server's message when logins are throttled (429)", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { status: 401 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", {
        status: 429,
        headers: { "Retry-After": "60" },
        body: { errors: { __all__: ["Demasiados intentos de ingreso. Probá de nuevo en 1 minuto."] } },
      });
    const u = userEvent.setup();
    renderAt("/staff/login");
    await logIn(u);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Demasiados intentos de ingreso. Probá de nuevo en 1 minuto.");
    await waitFor(() => expect(alert).toHaveFocus());
  });

  it("sends a logged-in user from the login page to the list", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([], { count: 0 }) });
    renderAt("/staff/login");
    expect(await screen.findByText("Todavía no hay solicitudes.")).toBeInTheDocument();
    expect(where()).toBe("/staff");
  });

  it("sends unknown staff addresses to the list and opens a request's detail page", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([]) })
      .on("GET", "/api/loans/5/", { body: makeLoan({ id: 5 }) })
      .on("GET", "/api/loans/5/history/", { body: { results: [] } });
    renderAt("/staff/loans/5");
    expect(await screen.findByRole("heading", { level: 1, name: "Solicitud N.º 5" })).toBeInTheDocument();
  });

  it("logs out, forgets drafts and returns to the login page", async () => {
    window.sessionStorage.setItem(
      "prestamos.staff.draft",
      JSON.stringify({ href: "/staff", loanId: 1, action: "reject", reason: "x" }),
    );
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([makeLoan()]) })
      .on("GET", "/api/loans/1/", { status: 404 })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/logout/", { status: 204 });
    const u = userEvent.setup();
    renderAt("/staff");

    await u.click(await screen.findByRole("button", { name: "Cerrar sesión" }));
    expect(await screen.findByRole("heading", { name: "Ingreso del personal" })).toBeInTheDocument();
    expect(where()).toBe("/staff/login");
    expect(api.callsTo("POST", "/api/auth/logout/")[0]?.headers.get("X-CSRFToken")).toBe("tok");
    expect(window.sessionStorage.getItem("prestamos.staff.draft")).toBeNull();
  });

  it("shows a logout failure", async () => {
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([]) })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/logout/", { status: 500, text: "x" });
    const u = userEvent.setup();
    renderAt("/staff");
    await u.click(await screen.findByRole("button", { name: "Cerrar sesión" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Ocurrió un error en el servidor");
  });

  it("offers a retry when the session check fails", async () => {
    const api = installFetchMock()
      .once("GET", "/api/auth/me/", "network-error")
      .on("GET", "/api/auth/me/", { status: 401 });
    const u = userEvent.setup();
    renderAt("/staff");
    await u.click(await screen.findByRole("button", { name: "Reintentar" }));
    expect(await screen.findByLabelText("Usuario")).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/auth/me/")).toHaveLength(2);
  });

  it("takes the session check started before the staff area loaded, instead of asking twice", async () => {
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/loans/", { body: makePage([]) });
    window.history.replaceState(null, "", "/staff");
    prefetchCurrentUser();
    expect(api.callsTo("GET", "/api/auth/me/")).toHaveLength(1);
    render(<Harness />);
    expect(await screen.findByText("Todavía no hay solicitudes.")).toBeInTheDocument();
    expect(api.callsTo("GET", "/api/auth/me/")).toHaveLength(1);
  });
});

describe("staff area: an expired session", () => {
  it("says the session expired and returns to the same list (filters, page) after logging in again", async () => {
    let loggedIn = true;
    const api = installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("POST", "/api/auth/login/", () => {
        loggedIn = true;
        return { body: { user } };
      })
      .on("GET", "/api/loans/", () =>
        loggedIn
          ? { body: makePage([makeLoan({ full_name: "Ana García" })], { count: 45, num_pages: 3, page: 2 }) }
          : { status: 401 },
      );
    const u = userEvent.setup();
    renderAt("/staff?status=pending&page=2");
    await screen.findByRole("rowheader", { name: "Ana García" });

    loggedIn = false;
    await u.selectOptions(screen.getByLabelText("Por página"), "50");
    expect(
      await screen.findByText("Tu sesión venció. Ingresá de nuevo para seguir donde estabas."),
    ).toBeInTheDocument();
    expect(window.location.pathname).toBe("/staff/login");

    await logIn(u);
    await waitFor(() => expect(where()).toBe("/staff?page_size=50&status=pending"));
    expect(await screen.findByRole("rowheader", { name: "Ana García" })).toBeInTheDocument();
    expect(Object.fromEntries(api.callsTo("GET", "/api/loans/").at(-1)!.query)).toMatchObject({
      status: "pending",
      page_size: "50",
    });
  });

  it("brings back the edit dialog with what was typed, on the same detail page", async () => {
    let loggedIn = true;
    const loan = makeLoan({ id: 4, full_name: "Fede Sosa", status: "pending" });
    installFetchMock()
      .on("GET", "/api/auth/me/", { body: { user } })
      .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
      .on("GET", "/api/loans/rules/", { body: RULES_BODY })
      .on("POST", "/api/auth/login/", () => {
        loggedIn = true;
        return { body: { user } };
      })
      .on("GET", "/api/loans/4/", { body: loan })
      .on("GET", "/api/loans/4/history/", { body: { results: [] } })
      .on("PATCH", "/api/loans/4/", () => (loggedIn ? { body: loan } : { status: 401 }));
    const u = userEvent.setup();
    renderAt("/staff/loans/4");
    await u.click(await screen.findByRole("button", { name: "Editar" }));
    await u.type(within(await screen.findByRole("dialog")).getByLabelText("Nombre completo"), " Jr.");
    loggedIn = false;
    await u.click(screen.getByRole("button", { name: "Guardar cambios" }));

    expect(await screen.findByText(/Tu sesión venció/)).toBeInTheDocument();
    await logIn(u);
    const dialog = await screen.findByRole("dialog", { name: "Editar solicitud" });
    expect(where()).toBe("/staff/loans/4");
    expect(within(dialog).getByLabelText("Nombre completo")).toHaveValue("Fede Sosa Jr.");
  });
});
