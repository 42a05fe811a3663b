import { createHash } from 'node:crypto';
import { Table } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

const POSTGRES_IDENTIFIER_MAX = 63;

/** snake_case columns and readable constraint names (pk_area, fk_activity_area_id, idx_…). */
export class NamingStrategy extends SnakeNamingStrategy {
  override primaryKeyName(table: Table | string): string {
    return identifier(`pk_${tableName(table)}`);
  }

  override foreignKeyName(table: Table | string, columnNames: string[]): string {
    return identifier(`fk_${tableName(table)}_${columnNames.join('_')}`);
  }

  override indexName(table: Table | string, columnNames: string[], where?: string): string {
    const suffix = where ? '_partial' : '';
    return identifier(`idx_${tableName(table)}_${columnNames.join('_')}${suffix}`);
  }

  override uniqueConstraintName(table: Table | string, columnNames: string[]): string {
    return identifier(`uq_${tableName(table)}_${columnNames.join('_')}`);
  }

  override relationConstraintName(table: Table | string, columnNames: string[]): string {
    return identifier(`rel_${tableName(table)}_${columnNames.join('_')}`);
  }

  override checkConstraintName(table: Table | string, expression: string, isEnum?: boolean): string {
    const digest = createHash('sha1').update(expression).digest('hex').slice(0, 8);
    return identifier(`chk_${tableName(table)}_${isEnum ? 'enum_' : ''}${digest}`);
  }
}

function tableName(table: Table | string): string {
  const name = typeof table === 'string' ? table : table.name;
  return name.split('.').pop() as string;
}

function identifier(name: string): string {
  if (name.length <= POSTGRES_IDENTIFIER_MAX) return name;
  const digest = createHash('sha1').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, POSTGRES_IDENTIFIER_MAX - 9)}_${digest}`;
}
