import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { LoanRequest } from "../../../lib/loanTypes";
import { installFetchMock, type FetchMock } from "../../../testing/fetchMock";
import { makeLoan, makePage } from "../../../testing/factories";
import { StaffDashboard } from "./StaffDashboard";

const staffUser = { username: "analista", is_staff: true };

function renderDashboard(overrides: { onLogout?: () => Promise<void>; onSessionExpired?: () => void } = {}) {
  const onSessionExpired = overrides.onSessionExpired ?? vi.fn();
  render(<StaffDashboard user={staffUser} onLogout={overrides.onLogout ?? vi.fn(async () => {})} onSessionExpired={onSessionExpired} />);
  return { onSessionExpired };
}

function listCalls(api: FetchMock) {
  return api.callsTo("GET", "/api/loans/").map((call) => Object.fromEntries(call.query));
}

function mockList(loans: LoanRequest[]): FetchMock {
  return installFetchMock()
    .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
    .on("GET", "/api/loans/", (call) => {
      const page = Number(call.query.get("page") ?? "1");
      return { body: makePage(loans, { page, num_pages: 3, count: 45, page_size: Number(call.query.get("page_size")) }) };
    });
}

describe("StaffDashboard list", () => {
  it("loads the first page newest first and renders the rows", async () => {
    const api = mockList([makeLoan({ full_name: "Ana García", amount: "150000.00", status: "approved", decision_reason: "Score alto" })]);
    renderDashboard();
    const table = await screen.findByRole("table", { name: "Solicitudes de préstamo" });
    expect(listCalls(api)).toEqual([{ page: "1", page_size: "20", ordering: "-created_at" }]);
    const row = within(table).getByRole("row", { name: /Ana García/ });
    expect(row).toHaveTextContent("$ 150.000,00");
    expect(row).toHaveTextContent("Aprobada");
    expect(row).toHaveTextContent("Score alto");
    expect(within(row).queryByRole("button", { name: "Aprobar solicitud de Ana García" })).not.toBeInTheDocument();
    expect(within(row).getByRole("button", { name: "Rechazar solicitud de Ana García" })).toBeInTheDocument();
    expect(screen.getByText("Mostrando 1–1 de 45 solicitudes.")).toBeInTheDocument();
    expect(within(table).getByRole("columnheader", { name: /Fecha/ })).toHaveAttribute("aria-sort", "descending");
  });

  it("sorts by clicking headers, toggling the direction", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard();
    const table = await screen.findByRole("table");

    await user.click(within(table).getByRole("button", { name: "Nombre" }));
    await waitFor(() => expect(within(table).getByRole("columnheader", { name: /Nombre/ })).toHaveAttribute("aria-sort", "ascending"));
    await user.click(within(table).getByRole("button", { name: "Nombre" }));
    await waitFor(() => expect(within(table).getByRole("columnheader", { name: /Nombre/ })).toHaveAttribute("aria-sort", "descending"));
    await user.click(within(table).getByRole("button", { name: "Monto" }));
    await user.click(within(table).getByRole("button", { name: "DNI" }));
    await user.click(within(table).getByRole("button", { name: "Estado" }));

    await waitFor(() => expect(listCalls(api).map((q) => q.ordering)).toEqual(["-created_at", "full_name", "-full_name", "amount", "dni", "status"]));
    expect(within(table).getByRole("columnheader", { name: /Nombre/ })).toHaveAttribute("aria-sort", "none");
  });

  it("filters by status and page size, going back to page 1", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard();
    await screen.findByRole("table");

    await user.click(screen.getByRole("button", { name: "Siguiente" }));
    await waitFor(() => expect(screen.getByText("Página 2 de 3")).toBeInTheDocument());
    await user.selectOptions(screen.getByLabelText("Estado"), "pending");
    await waitFor(() => expect(listCalls(api).at(-1)).toMatchObject({ status: "pending", page: "1" }));
    await user.selectOptions(screen.getByLabelText("Por página"), "100");
    await waitFor(() => expect(listCalls(api).at(-1)).toMatchObject({ status: "pending", page: "1", page_size: "100" }));
    expect(Array.from((screen.getByLabelText("Por página") as HTMLSelectElement).options).map((o) => Number(o.value)).every((n) => n <= 100)).toBe(true);
  });

  it("paginates with Anterior / Siguiente", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard();
    await screen.findByRole("table");
    expect(screen.getByRole("button", { name: "Anterior" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Siguiente" }));
    await waitFor(() => expect(screen.getByText("Página 2 de 3")).toBeInTheDocument());
    await user.click(screen.getByRole("button", { name: "Siguiente" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Siguiente" })).toBeDisabled());
    await user.click(screen.getByRole("button", { name: "Anterior" }));
    await waitFor(() => expect(listCalls(api).map((q) => q.page)).toEqual(["1", "2", "3", "2"]));
  });

  it("debounces the search box", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard();
    await screen.findByRole("table");
    await user.type(screen.getByLabelText("Buscar"), "ana gar");
    expect(listCalls(api)).toHaveLength(1);
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(listCalls(api)[1]).toMatchObject({ search: "ana gar", page: "1" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(listCalls(api)).toHaveLength(2);
  });

  it("shows list errors with a retry", async () => {
    const api = installFetchMock()
      .once("GET", "/api/loans/", { status: 500, text: "oops" })
      .on("GET", "/api/loans/", { body: makePage([makeLoan({ full_name: "Bruno Díaz" })]) });
    const user = userEvent.setup();
    renderDashboard();
    expect(await screen.findByRole("alert")).toHaveTextContent("Ocurrió un error en el servidor");
    await user.click(screen.getByRole("button", { name: "Reintentar" }));
    expect(await screen.findByRole("row", { name: /Bruno Díaz/ })).toBeInTheDocument();
    expect(listCalls(api)).toHaveLength(2);
  });

  it("reports an expired session", async () => {
    installFetchMock().on("GET", "/api/loans/", { status: 401 });
    const { onSessionExpired } = renderDashboard();
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });
});

describe("StaffDashboard actions", () => {
  it("approves after confirmation and refreshes the list", async () => {
    const loan = makeLoan({ id: 5, full_name: "Ana García" });
    const api = mockList([loan]).on("POST", "/api/loans/5/approve/", { body: { ...loan, status: "approved" } });
    const user = userEvent.setup();
    renderDashboard();

    await user.click(await screen.findByRole("button", { name: "Aprobar solicitud de Ana García" }));
    const dialog = screen.getByRole("dialog", { name: "Aprobar solicitud" });
    expect(dialog).toHaveTextContent("¿Aprobar la solicitud de Ana García por $ 150.000,00?");
    expect(within(dialog).getByRole("button", { name: "Cancelar" })).toHaveFocus();
    expect(api.callsTo("POST", "/api/loans/5/approve/")).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Aprobar" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("Se aprobó la solicitud de Ana García.");
    const [approve] = api.callsTo("POST", "/api/loans/5/approve/");
    expect(approve?.headers.get("X-CSRFToken")).toBe("tok");
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
  });

  it("cancels without calling the API and returns focus", async () => {
    const api = mockList([makeLoan({ id: 5, full_name: "Ana García" })]);
    const user = userEvent.setup();
    renderDashboard();
    const button = await screen.findByRole("button", { name: "Eliminar solicitud de Ana García" });
    await user.click(button);
    await user.click(within(screen.getByRole("dialog", { name: "Eliminar solicitud" })).getByRole("button", { name: "Cancelar" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(api.callsTo("DELETE", /\/api\/loans\/\d+\//)).toHaveLength(0);
    expect(listCalls(api)).toHaveLength(1);
  });

  it("rejects with an optional reason", async () => {
    const loan = makeLoan({ id: 8, full_name: "Carla Pérez" });
    const api = mockList([loan]).on("POST", "/api/loans/8/reject/", { body: { ...loan, status: "rejected" } });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Rechazar solicitud de Carla Pérez" }));
    const dialog = screen.getByRole("dialog", { name: "Rechazar solicitud" });
    await user.type(within(dialog).getByLabelText("Motivo (opcional)"), "  Documentación incompleta ");
    await user.click(within(dialog).getByRole("button", { name: "Rechazar" }));
    await waitFor(() => expect(api.callsTo("POST", "/api/loans/8/reject/")[0]?.body).toEqual({ reason: "Documentación incompleta" }));
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(screen.getByRole("status")).toHaveTextContent("Se rechazó la solicitud de Carla Pérez.");
  });

  it("keeps the dialog open and shows the error when an action fails", async () => {
    const loan = makeLoan({ id: 9, full_name: "Dario Luna" });
    const api = mockList([loan]).on("POST", "/api/loans/9/reject/", { status: 409, body: { errors: { __all__: ["La solicitud ya fue revisada."] } } });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Rechazar solicitud de Dario Luna" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Rechazar" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("La solicitud ya fue revisada.");
    expect(api.callsTo("POST", "/api/loans/9/reject/")[0]?.body).toEqual({});
    expect(listCalls(api)).toHaveLength(1);
  });

  it("deletes after confirmation and refreshes", async () => {
    const api = mockList([makeLoan({ id: 3, full_name: "Eva Ruiz" })]).on("DELETE", "/api/loans/3/", { status: 204 });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Eliminar solicitud de Eva Ruiz" }));
    await user.click(within(screen.getByRole("dialog", { name: "Eliminar solicitud" })).getByRole("button", { name: "Eliminar" }));
    await waitFor(() => expect(api.callsTo("DELETE", "/api/loans/3/")).toHaveLength(1));
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(screen.getByRole("status")).toHaveTextContent("Se eliminó la solicitud de Eva Ruiz.");
    expect(screen.getByRole("heading", { level: 1, name: "Solicitudes" })).toHaveFocus();
  });

  it("edits with field errors from the server, then saves only the changes", async () => {
    const loan = makeLoan({ id: 4, full_name: "Fede Sosa", dni: "20111222", gender: "M", email: "fede@example.com", amount: "20000.00" });
    // The list masks the DNI; the dialog edits the full record from GET /api/loans/4/.
    const api = mockList([{ ...loan, dni: "*****222" }])
      .on("GET", "/api/loans/4/", { body: loan })
      .once("PATCH", "/api/loans/4/", { status: 400, body: { errors: { dni: ["Ya existe una solicitud con este DNI."] } } })
      .on("PATCH", "/api/loans/4/", (call) => ({ body: { ...loan, ...(call.body as object) } }));
    const user = userEvent.setup();
    renderDashboard();

    await user.click(await screen.findByRole("button", { name: "Editar solicitud de Fede Sosa" }));
    const dialog = await screen.findByRole("dialog", { name: "Editar solicitud de Fede Sosa" });
    const name = within(dialog).getByLabelText("Nombre completo");
    expect(name).toHaveValue("Fede Sosa");
    expect(within(dialog).getByLabelText(/^DNI/)).toHaveValue("20111222");
    await waitFor(() => expect(name).toHaveFocus());

    const amount = within(dialog).getByLabelText(/^Monto/);
    await user.clear(amount);
    await user.type(amount, "999");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    expect(amount).toHaveAccessibleDescription(/El monto mínimo es/);
    expect(api.callsTo("PATCH", "/api/loans/4/")).toHaveLength(0);

    await user.clear(amount);
    await user.type(amount, "25000");
    const dni = within(dialog).getByLabelText(/^DNI/);
    await user.clear(dni);
    await user.type(dni, "20111333");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    await waitFor(() => expect(dni).toHaveAttribute("aria-invalid", "true"));
    expect(dni).toHaveAccessibleDescription(/Ya existe una solicitud con este DNI\./);

    await user.clear(dni);
    await user.type(dni, "20111444");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.callsTo("PATCH", "/api/loans/4/").map((call) => call.body)).toEqual([
      { dni: "20111333", amount: "25000.00" },
      { dni: "20111444", amount: "25000.00" },
    ]);
    expect(screen.getByRole("status")).toHaveTextContent("Se guardaron los cambios de la solicitud de Fede Sosa.");
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
  });

  it("closes the edit dialog with Escape without saving", async () => {
    const loan = makeLoan({ id: 6, full_name: "Gala Ríos" });
    const api = mockList([loan]).on("GET", "/api/loans/6/", { body: loan });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Editar solicitud de Gala Ríos" }));
    const dialog = await screen.findByRole("dialog");
    dialog.dispatchEvent(new Event("cancel", { cancelable: true }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.callsTo("PATCH", /.*/)).toHaveLength(0);
  });

  it("explains when the record to edit cannot be loaded and opens no dialog", async () => {
    const api = mockList([makeLoan({ id: 7, full_name: "Iara Luna" })]).on("GET", "/api/loans/7/", {
      status: 404,
      body: { errors: { __all__: ["No encontrado."] } },
    });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Editar solicitud de Iara Luna" }));
    expect(await screen.findByRole("status")).toHaveTextContent("No encontrado.");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(api.callsTo("GET", "/api/loans/7/")).toHaveLength(1);
  });

  it("reports an expired session during an action", async () => {
    mockList([makeLoan({ id: 2, full_name: "Hugo Paz" })]).on("DELETE", "/api/loans/2/", { status: 401 });
    const user = userEvent.setup();
    const { onSessionExpired } = renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Eliminar solicitud de Hugo Paz" }));
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Eliminar" }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });

  it("shows a logout failure", async () => {
    mockList([]);
    const user = userEvent.setup();
    renderDashboard({ onLogout: vi.fn(async () => Promise.reject(new Error("x"))) });
    await user.click(await screen.findByRole("button", { name: "Cerrar sesión" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Ocurrió un error inesperado");
  });
});
