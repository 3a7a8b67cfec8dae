import { Module } from '@nestjs/common';
import { PointsModule } from '../points/points.module';
import { CompetenciesController } from './competencies.controller';
import { CompetenciesService } from './competencies.service';

@Module({ imports: [PointsModule], controllers: [CompetenciesController], providers: [CompetenciesService] })
export class CompetenciesModule {}
