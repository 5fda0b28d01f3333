/** The free-text classifier's labels, most likely first, each with its probability as text and as a bar. */
export function ComplaintRanking({
  ranking,
  labelledBy,
  format,
}: {
  ranking: readonly { label: string; probability: number }[];
  /** The id of the heading that names the list. */
  labelledBy: string;
  /** How the probability reads: the live panel and the stored one each keep their own format. */
  format: (probability: number) => string;
}) {
  return (
    <ol className="complaint-list" aria-labelledby={labelledBy}>
      {ranking.map((c) => (
        <li key={c.label}>
          <div className="ranked-head">
            <span className="diagnosis">{c.label}</span>
            <span className="probability">{format(c.probability)}</span>
          </div>
          <div className="bar" aria-hidden="true">
            <div className="bar-fill complaint-fill" style={{ width: `${Math.max(0, Math.min(1, c.probability)) * 100}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
