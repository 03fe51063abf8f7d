import { GLOSSARY } from '../domain';

/** The one glossary of the studio, from the domain registry. */
export function Glossary() {
  return (
    <details className="panel glossary" id="glossary" open>
      <summary><h2>Glossary</h2></summary>
      <dl>
        {Object.entries(GLOSSARY).map(([term, text]) => (
          <div key={term}><dt>{term}</dt><dd>{text}</dd></div>
        ))}
      </dl>
    </details>
  );
}
