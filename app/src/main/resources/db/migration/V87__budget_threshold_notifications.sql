-- Issue 17: "budget 80 % and 100 % used" notifications, written in the transaction of the change that
-- crosses the threshold (an approval or re-drive reserving, in practice: spending only moves reserved to
-- spent, and releasing lowers the use). Used = spent + reserved, against the budget's monthly limit. Once
-- per budget key, threshold and month (the outbox's dedupe key), so use that dips and crosses again in the
-- same month stays quiet, and next month may notify again. A zero limit counts as 100 % used at once.
CREATE FUNCTION enqueue_budget_threshold() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lim numeric;
    used numeric;
    before numeric;
    pct integer;
    who text;
BEGIN
    SELECT monthly_limit INTO lim FROM budgets WHERE scope = NEW.scope AND currency = NEW.currency;
    IF lim IS NULL THEN
        RETURN NULL;
    END IF;
    used := NEW.spent + NEW.reserved;
    before := CASE WHEN TG_OP = 'UPDATE' THEN OLD.spent + OLD.reserved ELSE 0 END;
    IF used <= before THEN
        RETURN NULL;
    END IF;
    who := CASE WHEN NEW.scope = 'org' THEN 'organisation'
                ELSE 'account ' || coalesce((SELECT a.name FROM accounts a WHERE a.id::text = NEW.scope), NEW.scope) END;
    FOREACH pct IN ARRAY ARRAY[80, 100] LOOP
        IF used >= lim * pct / 100 AND (lim = 0 OR before < lim * pct / 100 OR TG_OP = 'INSERT') THEN
            INSERT INTO notifications (event, dedupe_key, payload)
            VALUES ('budget-threshold',
                    'budget:' || NEW.scope || ':' || NEW.currency || ':' || to_char(NEW.month, 'YYYY-MM') || ':' || pct,
                    jsonb_build_object(
                        'name', who || ' (' || NEW.currency || ', ' || to_char(NEW.month, 'YYYY-MM') || ') at '
                                || pct || ' %',
                        'budget', CASE WHEN NEW.scope = 'org' THEN 'org' ELSE 'account:' || NEW.scope END,
                        'threshold', pct,
                        'currency', NEW.currency,
                        'month', to_char(NEW.month, 'YYYY-MM'),
                        'limit', lim,
                        'spent', NEW.spent,
                        'reserved', NEW.reserved,
                        'usedPercent', CASE WHEN lim = 0 THEN 100 ELSE round(used * 100 / lim, 1) END))
            ON CONFLICT (dedupe_key) DO NOTHING;
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE TRIGGER budget_usage_threshold AFTER INSERT OR UPDATE ON budget_usage
    FOR EACH ROW EXECUTE FUNCTION enqueue_budget_threshold();

-- Issue 17: a plan's proposal is announced in the transaction of the cycle that proposed it (the purchase's
-- own "waits for approval" notification says what it buys; this one says which plan, which cycle, and
-- when auto-approval will approve it unless someone rejects it first). Once per plan and cycle.
CREATE FUNCTION enqueue_plan_proposal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO notifications (event, dedupe_key, execution_id, payload)
    SELECT 'plan-proposal', 'plan:' || NEW.plan_id || ':' || extract(epoch FROM NEW.cycle)::bigint || ':proposal',
           NEW.execution_id,
           jsonb_build_object(
               'name', '''' || p.name || '''',
               'plan', p.id,
               'mode', p.mode,
               'cycle', NEW.cycle,
               'purchase', NEW.execution_id,
               'items', (SELECT count(*) FROM items i WHERE i.execution_id = NEW.execution_id),
               'autoApproveAt', NEW.auto_approve_at)
    FROM plans p WHERE p.id = NEW.plan_id
    ON CONFLICT (dedupe_key) DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER plan_proposals_notify AFTER INSERT ON plan_proposals
    FOR EACH ROW EXECUTE FUNCTION enqueue_plan_proposal();
