// A search field that applies on Enter or its button, so a list is not read again on every key.
import { type FormEvent, useId, useState } from 'react';

export function SearchBox({
  label,
  placeholder,
  onSearch,
}: {
  label: string;
  placeholder: string;
  onSearch: (term: string) => void;
}) {
  const id = useId();
  const [term, setTerm] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(term.trim());
  }
  return (
    <form className="filter search-box" aria-label={label} onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} type="search" value={term} placeholder={placeholder} onChange={(e) => setTerm(e.target.value)} />
        <button type="submit">Search</button>
      </div>
    </form>
  );
}
