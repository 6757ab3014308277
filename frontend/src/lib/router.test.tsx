import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { Link, hrefWith, navigate, useLocation } from "./router";

function Where() {
  const { pathname, search, href } = useLocation();
  return (
    <p>
      {pathname}|{search}|{href}
    </p>
  );
}

describe("router", () => {
  it("follows navigate(), replace and the browser's back button, query string included", async () => {
    render(<Where />);
    expect(screen.getByText("/||/")).toBeInTheDocument();
    act(() => navigate("/staff?page=2"));
    expect(screen.getByText("/staff|?page=2|/staff?page=2")).toBeInTheDocument();
    const length = window.history.length;
    act(() => navigate("/staff?page=3", { replace: true }));
    expect(window.history.length).toBe(length);
    expect(screen.getByText("/staff|?page=3|/staff?page=3")).toBeInTheDocument();
    // Navigating to where we are adds no history entry.
    act(() => navigate("/staff?page=3"));
    expect(window.history.length).toBe(length);

    act(() => window.history.back());
    await screen.findByText("/||/");
  });

  it("builds addresses without empty parameters", () => {
    expect(hrefWith("/staff", { page: 2, status: "", search: undefined, ordering: "-amount" })).toBe(
      "/staff?page=2&ordering=-amount",
    );
    expect(hrefWith("/staff", {})).toBe("/staff");
    expect(hrefWith("/staff", { search: "ana garcía" })).toBe("/staff?search=ana+garc%C3%ADa");
  });

  it("<Link> navigates in place, but lets modified clicks open a new tab", async () => {
    const user = userEvent.setup();
    render(
      <>
        <Link to="/staff?status=pending">Pendientes</Link>
        <Where />
      </>,
    );
    await user.click(screen.getByRole("link", { name: "Pendientes" }));
    expect(screen.getByText("/staff|?status=pending|/staff?status=pending")).toBeInTheDocument();
    const event = new MouseEvent("click", { bubbles: true, cancelable: true, ctrlKey: true });
    screen.getByRole("link").dispatchEvent(event);
    expect(event.defaultPrevented).toBe(false);
  });
});
