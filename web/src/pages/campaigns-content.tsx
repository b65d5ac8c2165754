// A campaign's content (#/campaigns/<id>): its steps in order (the content assets of the
// campaign, by step), and each step's variants, their copy editable with the channel's counter and
// their statistics beside them; members add a step, change a step's wait or remove it
// (./content-steps.tsx), and add a variant to a step.
import { useState } from 'react';
import type { ContentAsset, ListedVariant } from '../../../src/contract/content.ts';
import type { Page } from '../../../src/contract/page.ts';
import { query, request } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useSession } from '../auth/session-context.tsx';
import { Async, Empty, Spinner } from '../components/status.tsx';
import { AddStep, StepSettings } from './content-steps.tsx';
import { VariantCard } from './content-variant.tsx';

/** More steps than any sequence has; the page says so if a campaign ever exceeds it. */
const MAX_STEPS = 100;

const hours = (h: number) => (h === 0 ? 'at once' : `${h} h after the previous step`);

function Step({ asset, onStepChanged }: { asset: ContentAsset; onStepChanged: (words: string) => void }) {
  const { can } = useSession();
  const variants = useApi<{ data: ListedVariant[] }>(`/api/content/assets/${asset.id}/variants`);
  const [outcome, setOutcome] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string>();

  function changed(words: string) {
    setOutcome(words);
    variants.reload();
  }

  async function addVariant() {
    setAdding(true);
    setError(undefined);
    try {
      const added = await request<ListedVariant>(`/api/content/assets/${asset.id}/variants`, {
        method: 'POST',
        body: {},
      });
      changed(`Variant ${added.variant_label} added: write its copy below.`);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setAdding(false);
    }
  }

  return (
    <section className="content-step" aria-label={`Step ${asset.step_index + 1}: ${asset.name}`}>
      <h3>
        Step {asset.step_index + 1} · {asset.asset_type.replaceAll('_', ' ')} ·{' '}
        <span className="muted">{asset.name}</span> <span className="small muted">({hours(asset.delay_hours)})</span>
      </h3>
      {can('member') && <StepSettings key={asset.updated_at} asset={asset} onChanged={onStepChanged} />}
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <Async loaded={variants} what="the variants">
        {({ data }) =>
          data.length === 0 ? (
            <Empty>No variants yet.</Empty>
          ) : (
            <div className="variant-list">
              {data.map((v) => (
                // key: a saved variant starts again from the server's copy.
                <VariantCard
                  key={`${v.id}-${v.updated_at}`}
                  variant={v}
                  assetType={asset.asset_type}
                  onChanged={changed}
                />
              ))}
            </div>
          )
        }
      </Async>
      {can('member') && (
        <div className="row">
          <button type="button" disabled={adding} onClick={() => void addVariant()}>
            {adding && <Spinner label="Adding a variant" />}
            Add a variant
          </button>
          {error && (
            <span className="field-error" role="alert">
              {error}
            </span>
          )}
        </div>
      )}
    </section>
  );
}

export function CampaignContent({ campaignId }: { campaignId: string }) {
  const { can } = useSession();
  const assets = useApi<Page<ContentAsset>>(
    `/api/content/assets${query({ campaign_id: campaignId, status: 'active', limit: MAX_STEPS })}`,
  );
  const [outcome, setOutcome] = useState<string>();
  const stepsChanged = (words: string) => {
    setOutcome(words);
    assets.reload();
  };
  return (
    <Async loaded={assets} what="the content">
      {(page) => {
        const steps = [...page.data].sort(
          (a, b) => a.step_index - b.step_index || a.created_at.localeCompare(b.created_at),
        );
        const nextIndex = steps.length === 0 ? 0 : steps[steps.length - 1]!.step_index + 1;
        return (
          <div className="campaign-content">
            {outcome && (
              <p className="notice" role="status">
                {outcome}
              </p>
            )}
            {steps.length === 0 && (
              <Empty>
                This campaign has no content yet:{' '}
                {can('member') ? 'add its first step.' : 'its steps appear here once written.'}
              </Empty>
            )}
            {page.next_cursor && <p className="small muted">Showing the first {MAX_STEPS} steps.</p>}
            {steps.map((asset) => (
              <Step key={asset.id} asset={asset} onStepChanged={stepsChanged} />
            ))}
            {can('member') && !page.next_cursor && (
              <AddStep campaignId={campaignId} nextIndex={nextIndex} onAdded={stepsChanged} />
            )}
          </div>
        );
      }}
    </Async>
  );
}
