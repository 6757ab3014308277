import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../../../lib/apiClient";
import type { LoanStatus } from "../../../lib/loanTypes";
import { deferred, installFetchMock, type MockAnswer } from "../../../testing/fetchMock";
import { makeLoan } from "../../../testing/factories";
import { LoanRequestPage } from "./LoanRequestPage";

const rules = { minAmount: 10000, maxAmount: 5000000 };

async function fillValidForm(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText("Nombre completo"), "Ana García");
  await user.type(screen.getByLabelText(/^DNI/), "30123456");
  await user.click(screen.getByLabelText("Femenino"));
  await user.type(screen.getByLabelText("Email"), "ana@example.com");
  await user.type(screen.getByLabelText(/^Monto/), "150000");
}

function submit(user: ReturnType<typeof userEvent.setup>) {
  return user.click(screen.getByRole("button", { name: "Solicitar préstamo" }));
}

describe("LoanRequestPage", () => {
  it("labels every field", () => {
    render(<LoanRequestPage rules={rules} />);
    for (const label of ["Nombre completo", "DNI", "Email", "Monto (ARS)", "Femenino", "Masculino", "No binario (X)"]) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.getByRole("group", { name: "Género" })).toBeInTheDocument();
  });

  it("shows validation messages tied to the fields and focuses the first invalid one", async () => {
    const api = installFetchMock();
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);

    await user.type(screen.getByLabelText("Nombre completo"), "Al");
    await user.type(screen.getByLabelText(/^DNI/), "1234");
    await user.type(screen.getByLabelText("Email"), "ana@");
    await user.type(screen.getByLabelText(/^Monto/), "500");
    await submit(user);

    const name = screen.getByLabelText("Nombre completo");
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveAccessibleDescription("El nombre debe tener al menos 3 caracteres.");
    expect(screen.getByLabelText(/^DNI/)).toHaveAccessibleDescription(/El DNI debe tener 7 u 8 dígitos/);
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/Ingresá un email válido/);
    expect(screen.getByLabelText(/^Monto/)).toHaveAccessibleDescription(/El monto mínimo es \$\s10\.000,00\./);
    expect(screen.getByLabelText("Femenino")).toHaveAccessibleDescription("Elegí una opción de género.");
    await waitFor(() => expect(name).toHaveFocus());

    const summary = screen.getByRole("alert");
    expect(within(summary).getByRole("link", { name: /Nombre completo: El nombre debe tener/ })).toBeInTheDocument();
    expect(within(summary).getAllByRole("link")).toHaveLength(5);
    await user.click(within(summary).getByRole("link", { name: /^Email/ }));
    expect(screen.getByLabelText("Email")).toHaveFocus();

    expect(api.calls).toHaveLength(0);
  });

  it("clears a field's error when it is edited", async () => {
    installFetchMock();
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await submit(user);
    const dni = screen.getByLabelText(/^DNI/);
    expect(dni).toHaveAttribute("aria-invalid", "true");
    await user.type(dni, "3");
    expect(dni).not.toHaveAttribute("aria-invalid");
  });

  it.each<[LoanStatus, string, string]>([
    ["approved", "¡Tu solicitud fue aprobada!", "Cumple con la política de riesgo."],
    ["rejected", "Tu solicitud fue rechazada", "Ingresos insuficientes."],
    ["pending", "Tu solicitud está en revisión", "El servicio de scoring no respondió."],
  ])("shows the %s decision with its reason", async (status, title, reason) => {
    const api = installFetchMock().on("POST", "/api/loans/", { status: 201, body: makeLoan({ id: 42, status, decision_reason: reason, amount: "150000.00" }) });
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);

    const heading = await screen.findByRole("heading", { name: title });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(screen.getByText(reason)).toBeInTheDocument();
    expect(screen.getByText("$ 150.000,00")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(title);

    const [call] = api.callsTo("POST", "/api/loans/");
    expect(call?.body).toEqual({ full_name: "Ana García", dni: "30123456", gender: "F", email: "ana@example.com", amount: "150000.00" });
    expect(call?.headers.get("X-CSRFToken")).toBeNull();
  });

  it("starts a new, empty request after a decision", async () => {
    installFetchMock().on("POST", "/api/loans/", { status: 201, body: makeLoan({ status: "approved" }) });
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);
    await user.click(await screen.findByRole("button", { name: "Hacer una nueva solicitud" }));

    const name = screen.getByLabelText("Nombre completo");
    expect(name).toHaveValue("");
    await waitFor(() => expect(name).toHaveFocus());
  });

  it("announces the submission while it is in flight and ignores double submits", async () => {
    const answer = deferred<MockAnswer>();
    const api = installFetchMock().on("POST", "/api/loans/", () => answer.promise);
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);
    expect(screen.getByRole("status")).toHaveTextContent("Enviando solicitud…");
    await user.click(screen.getByRole("button", { name: "Enviando…" }));
    answer.resolve({ status: 201, body: makeLoan({ status: "pending" }) });
    await screen.findByRole("heading", { name: "Tu solicitud está en revisión" });
    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(1);
  });

  it("shows server field errors on their fields and __all__ above the form", async () => {
    installFetchMock().on("POST", "/api/loans/", {
      status: 400,
      body: { errors: { dni: ["Ya hay una solicitud pendiente para este DNI."], email: ["Dominio no permitido."], __all__: ["Revisá los datos."] } },
    });
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);

    const dni = screen.getByLabelText(/^DNI/);
    await waitFor(() => expect(dni).toHaveAttribute("aria-invalid", "true"));
    expect(dni).toHaveAccessibleDescription(/Ya hay una solicitud pendiente para este DNI\./);
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Dominio no permitido.");
    expect(screen.getByRole("alert")).toHaveTextContent("Revisá los datos.");
    await waitFor(() => expect(dni).toHaveFocus());
    // The typed data is kept.
    expect(screen.getByLabelText("Nombre completo")).toHaveValue("Ana García");
  });

  it("explains a 429 and keeps the typed data", async () => {
    installFetchMock().on("POST", "/api/loans/", { status: 429, body: { errors: { __all__: [MESSAGES.rateLimited] } } });
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Demasiadas solicitudes, intentá de nuevo en unos minutos");
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByLabelText("Nombre completo")).toHaveValue("Ana García");
    expect(screen.getByLabelText(/^Monto/)).toHaveValue("150000");
    expect(screen.getByLabelText("Femenino")).toBeChecked();
  });

  it("explains a network error, keeps the data and lets the person retry", async () => {
    const api = installFetchMock()
      .once("POST", "/api/loans/", "network-error")
      .on("POST", "/api/loans/", { status: 201, body: makeLoan({ status: "approved" }) });
    const user = userEvent.setup();
    render(<LoanRequestPage rules={rules} />);
    await fillValidForm(user);
    await submit(user);

    expect(await screen.findByRole("alert")).toHaveTextContent(MESSAGES.network);
    expect(screen.getByLabelText("Email")).toHaveValue("ana@example.com");

    await submit(user);
    expect(await screen.findByRole("heading", { name: "¡Tu solicitud fue aprobada!" })).toBeInTheDocument();
    expect(api.callsTo("POST", "/api/loans/")).toHaveLength(2);
  });
});
