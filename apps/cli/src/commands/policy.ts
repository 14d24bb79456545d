import { commandGroup } from '../command-group.js';
import { policySimulateCommand } from './policy-simulate.js';
import { policyValidateCommand } from './policy-validate.js';

export const policyCommand = commandGroup('policy', 'validate and simulate IAM policies', [policyValidateCommand, policySimulateCommand]);
