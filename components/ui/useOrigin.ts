'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/** This page's origin in the browser (for copyable examples); empty while rendering on the server. */
export const useOrigin = () =>
  useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => '',
  );
