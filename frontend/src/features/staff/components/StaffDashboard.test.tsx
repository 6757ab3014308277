import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { makeLoan, makePage } from "@/testing/factories";
import { deferred, installFetchMock, type FetchMock, type MockAnswer } from "@/testing/fetchMock";
import type { LoanRequest } from "@/types/loan";
import { StaffDashboard } from "./StaffDashboard";

function renderDashboard(url = "/staff") {
  window.history.replaceState(null, "", url);
  const onSessionExpired = vi.fn();
  const view = render(<StaffDashboard onSessionExpired={onSessionExpired} />);
  return { onSessionExpired, ...view };
}

function listCalls(api: FetchMock) {
  return api.callsTo("GET", "/api/loans/").map((call) => Object.fromEntries(call.query));
}

/** Three pages of 45 requests; every page shows `loans`. */
function mockList(loans: LoanRequest[], pages = { count: 45, num_pages: 3 }): FetchMock {
  return installFetchMock()
    .on("GET", "/api/auth/csrf/", { body: { csrfToken: "tok" } })
    .on("GET", "/api/loans/rules/", { body: { min_amount: "10000.00", max_amount: "5000000.00" } })
    .on("GET", "/api/loans/", (call) => {
      const page = Number(call.query.get("page") ?? "1");
      return { body: makePage(loans, { page, ...pages, page_size: Number(call.query.get("page_size")) }) };
    });
}

const search = () => new URLSearchParams(window.location.search);

describe("StaffDashboard list", () => {
  it("loads the first page newest first and renders one dense row per request", async () => {
    const api = mockList([
      makeLoan({ full_name: "Ana García", amount: "150000.00", status: "approved", decision_reason: "Score alto" }),
    ]);
    renderDashboard();
    expect(screen.getByText("Cargando solicitudes…")).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Paginación" })).not.toBeInTheDocument();

    const table = await screen.findByRole("table", { name: "Solicitudes de préstamo" });
    expect(listCalls(api)).toEqual([{ page: "1", page_size: "20", ordering: "-created_at" }]);
    const row = within(table).getByRole("row", { name: /Ana García/ });
    expect(row).toHaveTextContent("$ 150.000,00");
    expect(row).toHaveTextContent("Aprobada");
    // The reason lives in the detail page, not under the badge.
    expect(row).not.toHaveTextContent("Score alto");
    expect(screen.getByText("Mostrando 1–1 de 45 solicitudes.")).toBeInTheDocument();
    expect(within(table).getByRole("columnheader", { name: /Fecha/ })).toHaveAttribute("aria-sort", "descending");
    expect(within(table).getByRole("columnheader", { name: /Monto/ })).toHaveClass("cell--number");
    expect(within(row).getByRole("rowheader")).toHaveAttribute("title", "Ana García");
    expect(document.title).toBe("Solicitudes — Préstamos por internet");
  });

  it("offers only the actions a row's status allows", async () => {
    mockList([
      makeLoan({ id: 1, full_name: "Pía Pendiente", status: "pending" }),
      makeLoan({ id: 2, full_name: "Ana Aprobada", status: "approved" }),
      makeLoan({ id: 3, full_name: "Rita Rechazada", status: "rejected" }),
    ]);
    renderDashboard();
    const table = await screen.findByRole("table");
    const actionsOf = (name: string) =>
      Array.from(
        within(table)
          .getByRole("row", { name: new RegExp(name) })
          .querySelectorAll("button, a"),
      ).map((element) => element.textContent);
    expect(actionsOf("Pía Pendiente")).toEqual(["Aprobar", "Rechazar", "Ver"]);
    expect(actionsOf("Ana Aprobada")).toEqual(["Ver", "Historial"]);
    expect(actionsOf("Rita Rechazada")).toEqual(["Ver", "Historial"]);
    expect(within(table).getByRole("link", { name: "Ver solicitud de Pía Pendiente" })).toHaveAttribute(
      "href",
      "/staff/loans/1",
    );
    expect(within(table).getByRole("link", { name: "Historial de la solicitud de Ana Aprobada" })).toHaveAttribute(
      "href",
      "/staff/loans/2#historial",
    );
  });

  it("says «1 solicitud.» for a single result and the total when everything fits on one page", async () => {
    mockList([makeLoan()], { count: 1, num_pages: 1 });
    const { unmount } = renderDashboard();
    expect(await screen.findByText("1 solicitud.")).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Paginación" })).not.toBeInTheDocument();
    unmount();
    mockList([makeLoan(), makeLoan()], { count: 2, num_pages: 1 });
    renderDashboard();
    expect(await screen.findByText("2 solicitudes.")).toBeInTheDocument();
  });

  it("starts from the page, size, sort, filter and search in the URL", async () => {
    const api = mockList([makeLoan()]);
    renderDashboard("/staff?page=2&page_size=50&ordering=amount&status=pending&search=ana");
    const table = await screen.findByRole("table");
    expect(listCalls(api)).toEqual([
      { page: "2", page_size: "50", ordering: "amount", status: "pending", search: "ana" },
    ]);
    expect(screen.getByLabelText("Buscar")).toHaveValue("ana");
    expect(screen.getByLabelText("Estado")).toHaveValue("pending");
    expect(screen.getByLabelText("Por página")).toHaveValue("50");
    expect(screen.getByLabelText("Ordenar por")).toHaveValue("amount");
    expect(within(table).getByRole("columnheader", { name: /Monto/ })).toHaveAttribute("aria-sort", "ascending");
    expect(screen.getByText("Página 2 de 3")).toBeInTheDocument();
  });

  it("sorts by clicking headers (toggling) and keeps the sort in the URL; back undoes it", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard();
    const table = await screen.findByRole("table");

    await user.click(within(table).getByRole("button", { name: "Nombre" }));
    await waitFor(() =>
      expect(within(table).getByRole("columnheader", { name: /Nombre/ })).toHaveAttribute("aria-sort", "ascending"),
    );
    expect(search().get("ordering")).toBe("full_name");
    await user.click(within(table).getByRole("button", { name: "Nombre" }));
    await waitFor(() =>
      expect(within(table).getByRole("columnheader", { name: /Nombre/ })).toHaveAttribute("aria-sort", "descending"),
    );
    await user.selectOptions(screen.getByLabelText("Ordenar por"), "-amount");
    await waitFor(() =>
      expect(listCalls(api).map((q) => q.ordering)).toEqual(["-created_at", "full_name", "-full_name", "-amount"]),
    );

    act(() => window.history.back());
    await waitFor(() => expect(search().get("ordering")).toBe("-full_name"));
    await waitFor(() => expect(listCalls(api).at(-1)?.ordering).toBe("-full_name"));
  });

  it("filters by status and page size, going back to page 1", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard("/staff?page=2");
    await screen.findByRole("table");

    await user.selectOptions(screen.getByLabelText("Estado"), "pending");
    await waitFor(() => expect(listCalls(api).at(-1)).toMatchObject({ status: "pending", page: "1" }));
    expect(window.location.search).toBe("?status=pending");
    await user.selectOptions(screen.getByLabelText("Por página"), "100");
    await waitFor(() =>
      expect(listCalls(api).at(-1)).toMatchObject({ status: "pending", page: "1", page_size: "100" }),
    );
    expect(
      Array.from((screen.getByLabelText("Por página") as HTMLSelectElement).options)
        .map((o) => Number(o.value))
        .every((n) => n <= 100),
    ).toBe(true);
  });

  it("paginates: says what is loading instead of stale numbers, then moves focus to the new page's summary", async () => {
    const answers: Array<ReturnType<typeof deferred<MockAnswer>>> = [];
    installFetchMock().on("GET", "/api/loans/", () => {
      const answer = deferred<MockAnswer>();
      answers.push(answer);
      return answer.promise;
    });
    const user = userEvent.setup();
    renderDashboard();
    await waitFor(() => expect(answers).toHaveLength(1));
    answers[0]!.resolve({ body: makePage([makeLoan()], { count: 45, num_pages: 3, page: 1 }) });
    await screen.findByText("Mostrando 1–1 de 45 solicitudes.");
    expect(screen.getByRole("button", { name: "Anterior" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "Siguiente" }));
    expect(screen.getByText("Cargando la página 2…")).toBeInTheDocument();
    expect(screen.queryByText(/Mostrando/)).not.toBeInTheDocument();
    expect(screen.getByText("Página 2 de 3")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Siguiente" })).toBeDisabled();
    expect(search().get("page")).toBe("2");

    await waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!.resolve({ body: makePage([makeLoan()], { count: 45, num_pages: 3, page: 2 }) });
    const summary = await screen.findByText("Mostrando 21–21 de 45 solicitudes.");
    await waitFor(() => expect(summary).toHaveFocus());
  });

  it("after a failed page load, Reintentar asks for that page again and Siguiente does not repeat it", async () => {
    const api = installFetchMock()
      .once("GET", "/api/loans/", { body: makePage([makeLoan()], { count: 45, num_pages: 3 }) })
      .once("GET", "/api/loans/", { status: 502, text: "Bad Gateway" })
      .on("GET", "/api/loans/", (call) => ({
        body: makePage([makeLoan({ full_name: `Página ${call.query.get("page")}` })], {
          count: 45,
          num_pages: 3,
          page: Number(call.query.get("page")),
        }),
      }));
    const user = userEvent.setup();
    renderDashboard();
    await screen.findByRole("table");
    await user.click(screen.getByRole("button", { name: "Siguiente" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Ocurrió un error en el servidor");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Paginación" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Reintentar" }));
    expect(await screen.findByRole("rowheader", { name: "Página 2" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Siguiente" }));
    expect(await screen.findByRole("rowheader", { name: "Página 3" })).toBeInTheDocument();
    expect(listCalls(api).map((q) => q.page)).toEqual(["1", "2", "2", "3"]);
  });

  it("debounces the search box, keeps it in the URL, and Enter searches at once", async () => {
    const api = mockList([makeLoan()]);
    const user = userEvent.setup();
    renderDashboard("/staff?page=3");
    await screen.findByRole("table");
    const historyLength = window.history.length;
    await user.type(screen.getByLabelText("Buscar"), "ana gar");
    expect(listCalls(api)).toHaveLength(1);
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(listCalls(api)[1]).toMatchObject({ search: "ana gar", page: "1" });
    expect(window.location.search).toBe("?search=ana+gar");
    // Typing replaces the history entry instead of adding one per pause.
    expect(window.history.length).toBe(historyLength);

    await user.type(screen.getByLabelText("Buscar"), "cía{Enter}");
    expect(listCalls(api).at(-1)).toMatchObject({ search: "ana garcía" });
  });

  it("follows the URL when it changes from elsewhere (back/forward): the search box shows its search", async () => {
    mockList([makeLoan()]);
    renderDashboard("/staff?search=ana");
    await screen.findByRole("table");
    act(() => {
      window.history.pushState(null, "", "/staff?search=bruno");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    await waitFor(() => expect(screen.getByLabelText("Buscar")).toHaveValue("bruno"));
  });

  it("an empty search says so, offers «Limpiar búsqueda» and no pagination", async () => {
    const api = installFetchMock().on("GET", "/api/loans/", (call) =>
      call.query.get("search")
        ? { body: makePage([], { count: 0, num_pages: 1 }) }
        : { body: makePage([makeLoan({ full_name: "Ana García" })]) },
    );
    const user = userEvent.setup();
    renderDashboard("/staff?search=zzz");
    expect(await screen.findByText("No hay solicitudes que coincidan con «zzz».")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Paginación" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Limpiar búsqueda" }));
    expect(await screen.findByRole("rowheader", { name: "Ana García" })).toBeInTheDocument();
    expect(screen.getByLabelText("Buscar")).toHaveValue("");
    expect(listCalls(api).at(-1)).not.toHaveProperty("search");
  });

  it("without any request yet, says so", async () => {
    installFetchMock().on("GET", "/api/loans/", { body: makePage([], { count: 0, num_pages: 1 }) });
    renderDashboard();
    expect(await screen.findByText("Todavía no hay solicitudes.")).toBeInTheDocument();
  });

  it("reports an expired session", async () => {
    installFetchMock().on("GET", "/api/loans/", { status: 401 });
    const { onSessionExpired } = renderDashboard();
    await waitFor(() => expect(onSessionExpired).toHaveBeenCalled());
  });
});

describe("StaffDashboard actions", () => {
  it("approves after confirmation, refreshes the list and continues from the title", async () => {
    const loan = makeLoan({ id: 5, full_name: "Ana García" });
    const answer = deferred<MockAnswer>();
    const api = mockList([loan]).on("POST", "/api/loans/5/approve/", () => answer.promise);
    const user = userEvent.setup();
    renderDashboard();

    await user.click(await screen.findByRole("button", { name: "Aprobar solicitud de Ana García" }));
    const dialog = screen.getByRole("dialog", { name: "Aprobar solicitud" });
    expect(dialog).toHaveTextContent("¿Aprobar la solicitud de Ana García por $ 150.000,00?");
    expect(within(dialog).getByRole("button", { name: "Cancelar" })).toHaveFocus();
    expect(api.callsTo("POST", "/api/loans/5/approve/")).toHaveLength(0);

    await user.click(within(dialog).getByRole("button", { name: "Aprobar" }));
    expect(within(dialog).getByRole("button", { name: "Aprobando…" })).toBeInTheDocument();
    answer.resolve({ body: { ...loan, status: "approved" } });
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.getByRole("status")).toHaveTextContent("Se aprobó la solicitud de Ana García.");
    const [approve] = api.callsTo("POST", "/api/loans/5/approve/");
    expect(approve?.headers.get("X-CSRFToken")).toBe("tok");
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole("heading", { level: 1, name: "Solicitudes" })).toHaveFocus());
  });

  it("cancels without calling the API and returns focus", async () => {
    const api = mockList([makeLoan({ id: 5, full_name: "Ana García" })]);
    const user = userEvent.setup();
    renderDashboard();
    const button = await screen.findByRole("button", { name: "Rechazar solicitud de Ana García" });
    await user.click(button);
    await user.click(
      within(screen.getByRole("dialog", { name: "Rechazar solicitud" })).getByRole("button", { name: "Cancelar" }),
    );
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    expect(api.callsTo("POST", /reject/)).toHaveLength(0);
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
    await waitFor(() =>
      expect(api.callsTo("POST", "/api/loans/8/reject/")[0]?.body).toEqual({ reason: "Documentación incompleta" }),
    );
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(screen.getByRole("status")).toHaveTextContent("Se rechazó la solicitud de Carla Pérez.");
  });

  it("keeps the dialog open, shows the server's 409 when the request was decided meanwhile, and refreshes the list behind it", async () => {
    const loan = makeLoan({ id: 9, full_name: "Dario Luna" });
    const api = mockList([loan]).on("POST", "/api/loans/9/reject/", {
      status: 409,
      body: { errors: { __all__: ["La solicitud ya fue revisada."] } },
    });
    const user = userEvent.setup();
    renderDashboard();
    await user.click(await screen.findByRole("button", { name: "Rechazar solicitud de Dario Luna" }));
    const dialog = screen.getByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Rechazar" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("La solicitud ya fue revisada.");
    expect(api.callsTo("POST", "/api/loans/9/reject/")[0]?.body).toEqual({});
    await waitFor(() => expect(listCalls(api)).toHaveLength(2));
    expect(screen.getByRole("dialog")).toBeInTheDocument();
  });

  it("when the session expires while rejecting, keeps the typed reason and offers it again on the same page", async () => {
    const loan = makeLoan({ id: 2, full_name: "Hugo Paz" });
    mockList([loan]).on("POST", "/api/loans/2/reject/", { status: 401 });
    const user = userEvent.setup();
    const first = renderDashboard("/staff?status=pending&page=2");
    await user.click(await screen.findByRole("button", { name: "Rechazar solicitud de Hugo Paz" }));
    await user.type(screen.getByLabelText("Motivo (opcional)"), "Falta el recibo de sueldo");
    await user.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Rechazar" }));
    await waitFor(() => expect(first.onSessionExpired).toHaveBeenCalled());
    first.unmount();

    // Logged in again, back on the same address: the dialog comes back with the text.
    const api = mockList([loan]).on("GET", "/api/loans/2/", { body: loan });
    renderDashboard("/staff?status=pending&page=2");
    const dialog = await screen.findByRole("dialog", { name: "Rechazar solicitud" });
    expect(within(dialog).getByLabelText("Motivo (opcional)")).toHaveValue("Falta el recibo de sueldo");
    expect(screen.getByRole("status")).toHaveTextContent("Recuperamos lo que estabas escribiendo");
    expect(api.callsTo("GET", "/api/loans/2/")).toHaveLength(1);
    expect(window.sessionStorage.getItem("prestamos.staff.draft")).toBeNull();
  });

  it("does not reopen a draft whose request was decided meanwhile, and says so", async () => {
    window.sessionStorage.setItem(
      "prestamos.staff.draft",
      JSON.stringify({ href: "/staff", loanId: 3, action: "reject", reason: "x" }),
    );
    mockList([makeLoan()]).on("GET", "/api/loans/3/", {
      body: makeLoan({ id: 3, full_name: "Eva Ruiz", status: "approved" }),
    });
    renderDashboard("/staff");
    expect(await screen.findByText(/La solicitud de Eva Ruiz ya fue revisada/)).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("ignores a draft left on another page", async () => {
    window.sessionStorage.setItem(
      "prestamos.staff.draft",
      JSON.stringify({ href: "/staff?page=9", loanId: 3, action: "reject", reason: "x" }),
    );
    const api = mockList([makeLoan()]);
    renderDashboard("/staff");
    await screen.findByRole("table");
    expect(api.callsTo("GET", "/api/loans/3/")).toHaveLength(0);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
