/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional overrides of the accepted amount bounds (ARS); the backend is the authority. */
  readonly VITE_LOAN_MIN_AMOUNT?: string;
  readonly VITE_LOAN_MAX_AMOUNT?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
