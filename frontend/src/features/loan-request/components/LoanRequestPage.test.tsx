import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/apiClient";
import { RULES_BODY, makeDecision, makeLoan } from "@/testing/factories";
import { deferred, installFetchMock, type FetchMock, type MockAnswer } from "@/testing/fetchMock";
import type { LoanStatus } from "@/types/loan";
import { LoanRequestPage } from "./LoanRequestPage";

type User = ReturnType<typeof userEvent.setup>;

/** The API with its amount rules (GET /api/loans/rules/), as every page load asks for them. */
function mockApi(): FetchMock {
  return installFetchMock().on("GET", "/api/loans/rules/", { body: RULES_BODY });
}

async function renderPage() {
  render(<LoanRequestPage />);
  // The bounds come from the API: wait until the hint shows them.
  await screen.findByText(/Entre \$\s10\.000,00 y \$\s5\.000\.000,00/);
}

async function fillValidForm(user: User) {
  await user.type(screen.getByLabelText("Nombre completo"), "Ana García");
  await user.type(screen.getByLabelText(/^DNI/), "30123456");
  await user.click(screen.getByLabelText("Femenino"));
  await user.type(screen.getByLabelText("Correo electrónico"), "ana@example.com");
  await user.type(screen.getByLabelText(/^Monto/), "150000");
}

function submit(user: User) {
  return user.click(screen.getByRole("button", { name: "Solicitar préstamo" }));
}

describe("LoanRequestPage form", () => {
  it("labels every field, with the one voice's «Correo electrónico»", async () => {
    mockApi();
    await renderPage();
    for (const label of [
      "Nombre completo",
      "DNI",
      "Correo electrónico",
      "Monto (ARS)",
      "Femenino",
      "Masculino",
      "No binario (X)",
    ]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByLabelText("Email")).not.toBeInTheDocument();
    expect(screen.getByRole("group", { name: "Género" })).toBeInTheDocument();
    expect(document.title).toBe("Pedí tu préstamo — Préstamos por internet");
  });

  it("reads the amount bounds from GET /api/loans/rules/, not from the build", async () => {
    installFetchMock().on("GET", "/api/loans/rules/", { body: { min_amount: "20000.00", max_amount: "900000.00" } });
    const user = userEvent.setup();
    render(<LoanRequestPage />);
    const amount = screen.getByLabelText(/^Monto/);
    await waitFor(() => expect(amount).toHaveAccessibleDescription(/Entre \$\s20\.000,00 y \$\s900\.000,00/));
    await user.type(amount, "15000");
    await submit(user);
    expect(amount).toHaveAccessibleDescription(/El monto mínimo es \$\s20\.000,00\./);
  });

  it("without the bounds (rules endpoint down) still checks the rest and lets the server decide", async () => {
    const api = installFetchMock()
      .on("GET", "/api/loans/rules/", { status: 502, text: "Bad Gateway" })
      .on("POST", "/api/loans/", { status: 400, body: { errors: { amount: ["El monto mínimo es $ 10.000,00."] } } });
    const user = userEvent.setup();
    render(<LoanRequestPage />);
    await waitFor(() => expect(api.callsTo("GET", "/api/loans/rules/")).toHaveLength(1));
    expect(screen.getByLabelText(/^Monto/)).toHaveAccessibleDescription(/^Hasta 2 decimales\./);
    await fillValidForm(user);
    await user.clear(screen.getByLabelText(/^Monto/));
    await user.type(screen.getByLabelText(/^Monto/), "500");
    await submit(user);
    await waitFor(() => expect(screen.getByLabelText(/^Monto/)).toHaveAccessibleDescription(/El monto mínimo es/));
    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(1);
  });

  it("shows validation messages tied to the fields and focuses the first invalid one", async () => {
    const api = mockApi();
    const user = userEvent.setup();
    await renderPage();

    await user.type(screen.getByLabelText("Nombre completo"), "Al");
    await user.type(screen.getByLabelText(/^DNI/), "1234");
    await user.type(screen.getByLabelText("Correo electrónico"), "ana@");
    await user.type(screen.getByLabelText(/^Monto/), "500");
    await submit(user);

    const name = screen.getByLabelText("Nombre completo");
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription("El nombre debe tener al menos 3 caracteres.");
    expect(screen.getByLabelText(/^DNI/)).toHaveAccessibleDescription(
      /El DNI debe tener 7 u 8 dígitos \(ingresaste 4\)\./,
    );
    expect(screen.getByLabelText("Correo electrónico")).toHaveAccessibleDescription(
      /Ingresá un correo electrónico válido/,
    );
    expect(screen.getByLabelText(/^Monto/)).toHaveAccessibleDescription(/El monto mínimo es \$\s10\.000,00\./);
    expect(screen.getByLabelText("Femenino")).toHaveAccessibleDescription("Elegí una opción de género.");
    await waitFor(() => expect(name).toHaveFocus());

    const summary = screen.getByRole("alert");
    expect(within(summary).getByRole("link", { name: /Nombre completo: El nombre debe tener/ })).toBeInTheDocument();
    expect(within(summary).getAllByRole("link")).toHaveLength(5);
    await user.click(within(summary).getByRole("link", { name: /^Correo electrónico/ }));
    expect(screen.getByLabelText("Correo electrónico")).toHaveFocus();

    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(0);
  });

  it("clears a field's error when it is edited", async () => {
    mockApi();
    const user = userEvent.setup();
    await renderPage();
    await submit(user);
    const dni = screen.getByLabelText(/^DNI/);
    expect(dni).toHaveAttribute("aria-invalid", "true");
    await user.type(dni, "3");
    expect(dni).not.toHaveAttribute("aria-invalid");
  });

  it("announces the submission while it is in flight and ignores double submits", async () => {
    const answer = deferred<MockAnswer>();
    const api = mockApi().on("POST", "/api/loans/", () => answer.promise);
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);
    expect(screen.getByRole("status")).toHaveTextContent("Enviando solicitud…");
    await user.click(screen.getByRole("button", { name: "Enviando…" }));
    answer.resolve({ status: 201, body: makeDecision({ status: "pending" }) });
    await screen.findByRole("heading", { name: "Tu solicitud está en revisión" });
    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(1);
  });

  it("shows server field errors on their fields and a single __all__ message as a sentence", async () => {
    mockApi().on("POST", "/api/loans/", {
      status: 400,
      body: {
        errors: {
          dni: ["Ya hay una solicitud pendiente para este DNI."],
          email: ["Ingresá un correo electrónico válido."],
          __all__: ["Revisá los datos."],
        },
      },
    });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);

    const dni = screen.getByLabelText(/^DNI/);
    await waitFor(() => expect(dni).toHaveAttribute("aria-invalid", "true"));
    expect(dni).toHaveAccessibleDescription(/Ya hay una solicitud pendiente para este DNI\./);
    expect(screen.getByLabelText("Correo electrónico")).toHaveAccessibleDescription(
      "Ingresá un correo electrónico válido.",
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Revisá los datos.");
    expect(within(alert).getByText("Revisá los datos.").tagName).toBe("P");
    await waitFor(() => expect(dni).toHaveFocus());
    // The typed data is kept.
    expect(screen.getByLabelText("Nombre completo")).toHaveValue("Ana García");
  });

  it("explains a 429 and keeps the typed data", async () => {
    mockApi().on("POST", "/api/loans/", { status: 429, body: { errors: { __all__: [MESSAGES.rateLimited] } } });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Demasiadas solicitudes, intentá de nuevo en unos minutos");
    expect(alert).toHaveTextContent("No pudimos enviar la solicitud");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByLabelText("Nombre completo")).toHaveValue("Ana García");
    expect(screen.getByLabelText(/^Monto/)).toHaveValue("150000");
    expect(screen.getByLabelText("Femenino")).toBeChecked();
  });

  it("explains a network error, keeps the data and lets the person retry", async () => {
    const api = mockApi()
      .once("POST", "/api/loans/", "network-error")
      .on("POST", "/api/loans/", { status: 201, body: makeDecision({ status: "approved" }) });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);

    expect(await screen.findByRole("alert")).toHaveTextContent(MESSAGES.network);
    expect(screen.getByLabelText("Correo electrónico")).toHaveValue("ana@example.com");

    await submit(user);
    expect(await screen.findByRole("heading", { name: "¡Tu solicitud fue aprobada!" })).toBeInTheDocument();
    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(2);
  });
});

describe("LoanRequestPage decision", () => {
  it.each<[LoanStatus, string, string]>([
    ["approved", "¡Tu solicitud fue aprobada!", "Solicitud aprobada — Préstamos por internet"],
    ["rejected", "Tu solicitud fue rechazada", "Solicitud rechazada — Préstamos por internet"],
    ["pending", "Tu solicitud está en revisión", "Solicitud en revisión — Préstamos por internet"],
  ])(
    "shows the %s outcome as the page's heading, in the tab title, with the server's applicant message",
    async (status, heading, title) => {
      const message = `Mensaje para la persona (${status}).`;
      const api = mockApi().on("POST", "/api/loans/", {
        status: 201,
        body: makeDecision({ id: 42, status, message, amount: "150000.00" }),
      });
      const user = userEvent.setup();
      await renderPage();
      await fillValidForm(user);
      await submit(user);

      const h1 = await screen.findByRole("heading", { level: 1, name: heading });
      await waitFor(() => expect(h1).toHaveFocus());
      // The form's heading and intro are gone: the outcome is the page.
      expect(screen.queryByRole("heading", { name: "Pedí tu préstamo por internet" })).not.toBeInTheDocument();
      expect(screen.queryByRole("form")).not.toBeInTheDocument();
      const region = screen.getByRole("region", { name: heading });
      expect(region).toHaveAttribute("data-status", status);
      expect(region.querySelector("svg")).toHaveAttribute("aria-hidden", "true");
      expect(region).toHaveTextContent(message);
      expect(region).toHaveTextContent("$ 150.000,00");
      expect(region).toHaveTextContent("42");
      expect(screen.getByRole("status")).toHaveTextContent(heading);
      expect(document.title).toBe(title);

      const [call] = api.callsTo("POST", "/api/loans/");
      expect(call?.body).toEqual({
        full_name: "Ana García",
        dni: "30123456",
        gender: "F",
        email: "ana@example.com",
        amount: "150000.00",
      });
      expect(call?.headers.get("X-CSRFToken")).toBeNull();
    },
  );

  it("never shows the internal decision_reason (an older backend's answer), only applicant wording", async () => {
    mockApi().on("POST", "/api/loans/", {
      status: 201,
      body: makeLoan({
        status: "pending",
        decision_reason: "Monto superior a LOAN_AUTO_APPROVAL_MAX_AMOUNT (1.000.000)",
      }),
    });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);
    const region = await screen.findByRole("region", { name: "Tu solicitud está en revisión" });
    expect(region).not.toHaveTextContent(/LOAN_AUTO|1\.000\.000|Motivo/);
    expect(region).toHaveTextContent("Un analista va a revisar tu solicitud");
  });

  it("offers no new request after a rejection", async () => {
    mockApi().on("POST", "/api/loans/", { status: 201, body: makeDecision({ status: "rejected" }) });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);
    await screen.findByRole("heading", { name: "Tu solicitud fue rechazada" });
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("starts a new, empty request after an approval", async () => {
    mockApi().on("POST", "/api/loans/", { status: 201, body: makeDecision({ status: "approved" }) });
    const user = userEvent.setup();
    await renderPage();
    await fillValidForm(user);
    await submit(user);
    await user.click(await screen.findByRole("button", { name: "Hacer una nueva solicitud" }));

    const name = screen.getByLabelText("Nombre completo");
    expect(name).toHaveValue("");
    await waitFor(() => expect(name).toHaveFocus());
    expect(document.title).toBe("Pedí tu préstamo — Préstamos por internet");
    expect(window.sessionStorage.length).toBe(0);
  });

  it("keeps the decision in this tab across a reload (a new mount), without the applicant's personal data", async () => {
    mockApi().on("POST", "/api/loans/", {
      status: 201,
      body: { ...makeLoan({ id: 77, status: "approved" }), message: "Aprobado." },
    });
    const user = userEvent.setup();
    const { unmount } = render(<LoanRequestPage />);
    await fillValidForm(user);
    await submit(user);
    await screen.findByRole("heading", { name: "¡Tu solicitud fue aprobada!" });
    unmount();

    const stored = JSON.stringify(Object.fromEntries(Object.entries(window.sessionStorage)));
    expect(stored).not.toMatch(/Ana|30123456|ana@example\.com/);

    render(<LoanRequestPage />);
    const region = screen.getByRole("region", { name: "¡Tu solicitud fue aprobada!" });
    expect(region).toHaveTextContent("77");
    expect(region).toHaveTextContent("Aprobado.");
  });
});
