import { createContext, useContext } from "react";

/** Opens "Connect to…" for a node's output port (from a focused handle or the C key). */
export type ConnectRequest = (source: string, port?: string) => void;

export const ConnectRequestContext = createContext<ConnectRequest>(() => undefined);

export const useConnectRequest = () => useContext(ConnectRequestContext);
