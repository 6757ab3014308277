import { useEffect, useRef, type ReactNode } from "react";
import { Link } from "@/lib/router";

interface LayoutProps {
  pathname: string;
  children: ReactNode;
}

/** Page chrome: skip link, header, main landmark (focused after client-side navigation), footer. */
export function Layout({ pathname, children }: LayoutProps) {
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);

  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = pathname;
    mainRef.current?.focus();
  }, [pathname]);

  const inStaff = pathname.startsWith("/staff");
  return (
    <>
      <a className="skip-link" href="#main">
        Saltar al contenido
      </a>
      <header className="site-header">
        <div className={inStaff ? "site-header__inner site-header__inner--wide" : "site-header__inner"}>
          <Link to="/" className="brand">
            Préstamos por internet
          </Link>
          <nav aria-label="Principal">
            <ul className="nav">
              <li>
                <Link to="/" aria-current={pathname === "/" ? "page" : undefined}>
                  Pedir un préstamo
                </Link>
              </li>
              <li>
                <Link to="/staff" aria-current={inStaff ? "page" : undefined}>
                  Acceso para personal
                </Link>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>Los montos se expresan en pesos argentinos (ARS).</p>
      </footer>
    </>
  );
}
