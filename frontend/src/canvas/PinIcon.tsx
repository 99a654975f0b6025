/** A pin, drawn (no emoji font is needed): pinned test data on a card and in the settings (D24). */
export function PinIcon({ size = 14 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
      <path d="M9 4h6l-1 6 3 3H7l3-3z" fill="currentColor" />
      <path d="M12 13v7" />
    </svg>
  );
}
