import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { RULES_BODY, makeHistoryEntry, makeLoan } from "@/testing/factories";
import { installFetchMock, type FetchMock } from "@/testing/fetchMock";
import type { LoanHistoryEntry, LoanRequest } from "@/types/loan";
import { rememberListHref, takeFlash } from "../storage/pageMemory";
import { LoanDetailPage } from "./LoanDetailPage";

function mockDetail(loan: LoanRequest, history: LoanHistoryEntry[] = []): FetchMock {
  return installFetchMock()
    .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
    .on("GET", "/api/loans/rules/", { body: RULES_BODY })
    .on("GET", `/api/loans/${loan.id}/`, { body: loan })
    .on("GET", `/api/loans/${loan.id}/history/`, { body: { results: history } });
}

function renderDetail(id: number, hash = "") {
  window.history.replaceState(null, "", `/staff/loans/${id}${hash}`);
  const onSessionExpired = vi.fn();
  render(<LoanDetailPage id={id} onSessionExpired={onSessionExpired} />);
  return { onSessionExpired };
}

const pending = makeLoan({
  id: 4,
  full_name: "Fede Sosa",
  dni: "20111222",
  gender: "M",
  email: "fede@example.com",
  amount: "50000.00",
  status: "pending",
});

describe("LoanDetailPage", () => {
  it("shows every field (the DNI whole), the decision with its reason and the history, oldest first", async () => {
    const loan = makeLoan({
      id: 12,
      full_name: "Rita Rechazada",
      dni: "27345678",
      gender: "X",
      email: "rita@example.com",
      amount: "2400000.00",
      status: "rejected",
      decision_reason: "Ingresos insuficientes para el monto pedido.",
      reviewed_by: "analista",
      reviewed_at: "2025-03-11T13:00:00Z",
    });
    mockDetail(loan, [
      makeHistoryEntry({ action: "created", actor: null, at: "2025-03-10T15:30:00Z" }),
      makeHistoryEntry({
        action: "edited",
        actor: "analista",
        at: "2025-03-11T12:00:00Z",
        changes: { amount: { from: "2500000.00", to: "2400000.00" }, dni: { from: "*****677", to: "*****678" } },
      }),
      makeHistoryEntry({
        action: "rejected",
        actor: "analista",
        at: "2025-03-11T13:00:00Z",
        changes: { status: { from: "pending", to: "rejected" } },
        reason: "Ingresos insuficientes para el monto pedido.",
      }),
    ]);
    renderDetail(12);

    expect(await screen.findByRole("heading", { level: 1, name: "Solicitud N.º 12" })).toBeInTheDocument();
    expect(document.title).toBe("Solicitud 12 — Préstamos por internet");
    const data = screen.getByRole("region", { name: "Datos de la solicitud" });
    for (const text of ["Rita Rechazada", "27345678", "No binario (X)", "rita@example.com", "$ 2.400.000,00"])
      expect(data).toHaveTextContent(text);
    const decision = screen.getByRole("region", { name: "Decisión" });
    expect(decision).toHaveTextContent("Rechazada");
    expect(decision).toHaveTextContent("Ingresos insuficientes para el monto pedido.");
    expect(decision).toHaveTextContent("analista");

    const history = screen.getByRole("region", { name: "Historial" });
    await within(history).findByText("Solicitud creada");
    const items = history.querySelector("ol")!.children;
    expect(Array.from(items).map((item) => item.querySelector("strong")?.textContent)).toEqual([
      "Solicitud creada",
      "Datos editados",
      "Rechazada",
    ]);
    expect(items[0]).toHaveTextContent("Sistema");
    expect(items[1]).toHaveTextContent("Monto (ARS): $ 2.500.000,00 → $ 2.400.000,00");
    expect(items[1]).toHaveTextContent("DNI: *****677 → *****678");
    expect(items[2]).toHaveTextContent("Estado: En revisión → Rechazada");
    expect(items[2]).toHaveTextContent("Motivo: Ingresos insuficientes para el monto pedido.");
  });

  it("a decided request is read-only: no approve, reject, edit or delete", async () => {
    mockDetail(makeLoan({ id: 3, status: "approved" }));
    renderDetail(3);
    await screen.findByRole("heading", { level: 1, name: "Solicitud N.º 3" });
    expect(screen.getByText("Esta solicitud ya fue decidida: sus datos no se pueden modificar.")).toBeInTheDocument();
    for (const name of ["Aprobar", "Rechazar", "Editar", "Eliminar"])
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
  });

  it("a pending request offers approve, reject, edit and delete", async () => {
    mockDetail(pending);
    renderDetail(4);
    const actions = await screen.findByRole("group", { name: "Acciones" });
    expect(
      within(actions)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["Aprobar", "Rechazar", "Editar", "Eliminar"]);
  });

  it("says when the history is not available (backend without the endpoint) or failed", async () => {
    mockDetail(pending).on("GET", "/api/loans/4/history/", {
      status: 404,
      body: { errors: { __all__: ["No encontrado."] } },
    });
    renderDetail(4);
    expect(await screen.findByText("El historial de esta solicitud no está disponible.")).toBeInTheDocument();
  });

  it("reports a history that failed to load", async () => {
    mockDetail(pending).on("GET", "/api/loans/4/history/", { status: 500, text: "oops" });
    renderDetail(4);
    expect(await screen.findByRole("alert")).toHaveTextContent("No pudimos cargar el historial.");
  });

  it("focuses the history when opened from «Historial» (#historial)", async () => {
    mockDetail(pending, [makeHistoryEntry()]);
    renderDetail(4, "#historial");
    const heading = await screen.findByRole("heading", { level: 2, name: "Historial" });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(window.location.hash).toBe("");
  });

  it("says so when the request does not exist (or was deleted)", async () => {
    installFetchMock().on("GET", "/api/loans/99/", { status: 404, body: { errors: { __all__: ["No encontrado."] } } });
    renderDetail(99);
    expect(await screen.findByRole("heading", { level: 1, name: "Solicitud no encontrada" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "← Volver a las solicitudes" })).toBeInTheDocument();
  });

  it("offers a retry when the request fails to load, and reports an expired session", async () => {
    installFetchMock()
      .once("GET", "/api/loans/4/", { status: 500, text: "x" })
      .on("GET", "/api/loans/4/", { status: 401 });
    const user = userEvent.setup();
    const { onSessionExpired } = renderDetail(4);
    await user.click(await screen.findByRole("button", { name: "Reintentar" }));
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });

  it("approves and shows the new status and history", async () => {
    const api = mockDetail(pending).on("POST", "/api/loans/4/approve/", { body: { ...pending, status: "approved" } });
    const user = userEvent.setup();
    renderDetail(4);
    await user.click(await screen.findByRole("button", { name: "Aprobar" }));
    api.on("GET", "/api/loans/4/", { body: { ...pending, status: "approved", reviewed_by: "analista" } });
    await user.click(
      within(screen.getByRole("dialog", { name: "Aprobar solicitud" })).getByRole("button", { name: "Aprobar" }),
    );
    expect(await screen.findByText("Se aprobó la solicitud de Fede Sosa.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("group", { name: "Acciones" })).not.toBeInTheDocument());
    expect(api.callsTo("GET", "/api/loans/4/history/").length).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(screen.getByRole("heading", { level: 1 })).toHaveFocus());
  });

  it("deletes and goes back to the list it came from, which announces it", async () => {
    rememberListHref("/staff?status=pending");
    const api = mockDetail(pending).on("DELETE", "/api/loans/4/", { status: 204 });
    const user = userEvent.setup();
    renderDetail(4);
    await user.click(await screen.findByRole("button", { name: "Eliminar" }));
    const dialog = screen.getByRole("dialog", { name: "Eliminar solicitud" });
    expect(dialog).toHaveTextContent("queda registrada en el historial");
    await user.click(within(dialog).getByRole("button", { name: "Eliminar" }));
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe("/staff?status=pending"));
    expect(api.callsTo("DELETE", "/api/loans/4/")).toHaveLength(1);
    expect(takeFlash()).toBe("Se eliminó la solicitud de Fede Sosa.");
  });
});

describe("EditLoanDialog (from the detail page)", () => {
  async function openEdit(loan = pending) {
    const api = mockDetail(loan);
    const user = userEvent.setup();
    renderDetail(loan.id);
    await user.click(await screen.findByRole("button", { name: "Editar" }));
    const dialog = await screen.findByRole("dialog", { name: "Editar solicitud" });
    return { api, user, dialog };
  }

  it("prefills the amount the es-AR way, and the name goes under a short title", async () => {
    const { dialog } = await openEdit();
    expect(within(dialog).getByLabelText(/^Monto/)).toHaveValue("50.000,00");
    expect(within(dialog).getByRole("heading", { level: 2 })).toHaveTextContent(/^Editar solicitud$/);
    expect(dialog).toHaveAccessibleDescription("N.º 4 · Fede Sosa");
    await waitFor(() => expect(within(dialog).getByLabelText("Nombre completo")).toHaveFocus());
  });

  it("saves only the changed fields and reports field errors from the server", async () => {
    const { api, user, dialog } = await openEdit();
    api
      .once("PATCH", "/api/loans/4/", {
        status: 400,
        body: { errors: { dni: ["Ya existe una solicitud con este DNI."] } },
      })
      .on("PATCH", "/api/loans/4/", (call) => ({ body: { ...pending, ...(call.body as object) } }));

    const amount = within(dialog).getByLabelText(/^Monto/);
    await user.clear(amount);
    await user.type(amount, "999");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    expect(amount).toHaveAccessibleDescription(/El monto mínimo es/);
    expect(api.callsTo("PATCH", "/api/loans/4/")).toHaveLength(0);

    await user.clear(amount);
    await user.type(amount, "25.000");
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
    expect(screen.getByText("Se guardaron los cambios de la solicitud de Fede Sosa.")).toBeInTheDocument();
  });

  it("saving without changes just closes (the es-AR amount counts as unchanged)", async () => {
    const { api, user, dialog } = await openEdit();
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.callsTo("PATCH", /.*/)).toHaveLength(0);
  });

  it("Escape closes at once when nothing changed", async () => {
    const { dialog } = await openEdit();
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("Escape with unsaved changes asks before discarding them", async () => {
    const { api, user, dialog } = await openEdit();
    const name = within(dialog).getByLabelText("Nombre completo");
    await user.type(name, " Jr.");
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    const question = within(dialog).getByRole("group", { name: "¿Descartar los cambios?" });
    await waitFor(() => expect(within(question).getByRole("button", { name: "Seguir editando" })).toHaveFocus());

    // "Seguir editando" (or Escape again) keeps the dialog and what was typed.
    await user.click(within(question).getByRole("button", { name: "Seguir editando" }));
    expect(within(dialog).queryByRole("group", { name: "¿Descartar los cambios?" })).not.toBeInTheDocument();
    expect(name).toHaveValue("Fede Sosa Jr.");
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    expect(within(dialog).queryByRole("group", { name: "¿Descartar los cambios?" })).not.toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Cancelar" }));
    await user.click(within(dialog).getByRole("button", { name: "Descartar cambios" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.callsTo("PATCH", /.*/)).toHaveLength(0);
  });

  it("shows the server's 409 (decided meanwhile) without losing the typed data", async () => {
    const { api, user, dialog } = await openEdit();
    api.on("PATCH", "/api/loans/4/", {
      status: 409,
      body: { errors: { __all__: ["La solicitud ya fue decidida y no se puede editar."] } },
    });
    await user.type(within(dialog).getByLabelText("Nombre completo"), " Jr.");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("No pudimos guardar los cambios");
    expect(alert).toHaveTextContent("La solicitud ya fue decidida y no se puede editar.");
    expect(within(dialog).getByLabelText("Nombre completo")).toHaveValue("Fede Sosa Jr.");
    // The page reads the request again behind the dialog.
    await waitFor(() => expect(api.callsTo("GET", "/api/loans/4/")).toHaveLength(2));
  });

  it("keeps the typed values as a draft when the session expired", async () => {
    const { api, user, dialog } = await openEdit();
    api.on("PATCH", "/api/loans/4/", { status: 401 });
    await user.type(within(dialog).getByLabelText("Nombre completo"), " Jr.");
    await user.click(within(dialog).getByRole("button", { name: "Guardar cambios" }));
    await waitFor(() => expect(window.sessionStorage.getItem("prestamos.staff.draft")).toContain("Fede Sosa Jr."));
  });
});
