/** "From" and "to" date inputs for a filter form; `idPrefix` keeps their ids unique on the screen. */
export function DateRangeFields({
  idPrefix,
  from,
  to,
  fromLabel,
  toLabel,
  onFrom,
  onTo,
}: {
  idPrefix: string;
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-from`}>{fromLabel}</label>
        <input id={`${idPrefix}-from`} type="date" value={from} onChange={(e) => onFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-to`}>{toLabel}</label>
        <input id={`${idPrefix}-to`} type="date" value={to} onChange={(e) => onTo(e.target.value)} />
      </div>
    </>
  );
}
