-- Counters a team's score reads (docs/team-scores.md, issue 23): the service units it
-- delivered, their workload (units x the package item's weight, 1 when none) and the
-- signing fees of contracts starting, per team and day and per team and month. Triggers
-- keep them in the transaction that changes a delivery or a contract, so the county's
-- 227 teams read a year from a few thousand rows instead of 900,000 deliveries.
CREATE TABLE team_day_totals (
    team_id    INTEGER NOT NULL,
    day        TEXT NOT NULL,           -- YYYY-MM-DD
    units      INTEGER NOT NULL DEFAULT 0,
    workload   REAL NOT NULL DEFAULT 0,
    income_fen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, day)
) WITHOUT ROWID;
CREATE TABLE team_month_totals (
    team_id    INTEGER NOT NULL,
    month      TEXT NOT NULL,           -- YYYY-MM
    units      INTEGER NOT NULL DEFAULT 0,
    workload   REAL NOT NULL DEFAULT 0,
    income_fen INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, month)
) WITHOUT ROWID;

INSERT INTO team_day_totals (team_id, day, units, workload, income_fen)
SELECT team_id, day, sum(units), sum(workload), sum(income_fen) FROM (
    SELECT c.team_id, d.delivered_on AS day, d.quantity AS units,
           d.quantity * CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END AS workload,
           0 AS income_fen
      FROM deliveries d JOIN contracts c ON c.id = d.contract_id
      JOIN entitlements e ON e.id = d.entitlement_id JOIN package_items pi ON pi.id = e.package_item_id
    UNION ALL
    SELECT team_id, start_date, 0, 0, fee_fen FROM contracts
) parts GROUP BY team_id, day;
INSERT INTO team_month_totals (team_id, month, units, workload, income_fen)
SELECT team_id, substr(day, 1, 7), sum(units), sum(workload), sum(income_fen)
  FROM team_day_totals GROUP BY team_id, substr(day, 1, 7);

-- A delivery adds (sign 1) or takes back (sign -1) its units and workload.
CREATE TRIGGER team_totals_delivery_ins AFTER INSERT ON deliveries
BEGIN
    INSERT INTO team_day_totals (team_id, day, units, workload)
    SELECT c.team_id, NEW.delivered_on, NEW.quantity,
           NEW.quantity * CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END
      FROM contracts c, entitlements e, package_items pi
     WHERE c.id = NEW.contract_id AND e.id = NEW.entitlement_id AND pi.id = e.package_item_id
    ON CONFLICT (team_id, day) DO UPDATE SET units = team_day_totals.units + excluded.units,
        workload = team_day_totals.workload + excluded.workload;
    INSERT INTO team_month_totals (team_id, month, units, workload)
    SELECT c.team_id, substr(NEW.delivered_on, 1, 7), NEW.quantity,
           NEW.quantity * CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END
      FROM contracts c, entitlements e, package_items pi
     WHERE c.id = NEW.contract_id AND e.id = NEW.entitlement_id AND pi.id = e.package_item_id
    ON CONFLICT (team_id, month) DO UPDATE SET units = team_month_totals.units + excluded.units,
        workload = team_month_totals.workload + excluded.workload;
END;
CREATE TRIGGER team_totals_delivery_del AFTER DELETE ON deliveries
BEGIN
    UPDATE team_day_totals SET units = units - OLD.quantity,
           workload = workload - OLD.quantity * coalesce((SELECT CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END
               FROM entitlements e JOIN package_items pi ON pi.id = e.package_item_id WHERE e.id = OLD.entitlement_id), 0)
     WHERE team_id = (SELECT team_id FROM contracts WHERE id = OLD.contract_id) AND day = OLD.delivered_on;
    UPDATE team_month_totals SET units = units - OLD.quantity,
           workload = workload - OLD.quantity * coalesce((SELECT CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END
               FROM entitlements e JOIN package_items pi ON pi.id = e.package_item_id WHERE e.id = OLD.entitlement_id), 0)
     WHERE team_id = (SELECT team_id FROM contracts WHERE id = OLD.contract_id) AND month = substr(OLD.delivered_on, 1, 7);
END;

-- A contract adds its fee on the day it starts. Contracts are never deleted and their team,
-- start and fee never change (a transfer or renewal is a new contract), so insert is enough.
CREATE TRIGGER team_totals_contract_ins AFTER INSERT ON contracts
BEGIN
    INSERT INTO team_day_totals (team_id, day, income_fen) VALUES (NEW.team_id, NEW.start_date, NEW.fee_fen)
    ON CONFLICT (team_id, day) DO UPDATE SET income_fen = team_day_totals.income_fen + excluded.income_fen;
    INSERT INTO team_month_totals (team_id, month, income_fen) VALUES (NEW.team_id, substr(NEW.start_date, 1, 7), NEW.fee_fen)
    ON CONFLICT (team_id, month) DO UPDATE SET income_fen = team_month_totals.income_fen + excluded.income_fen;
END;
